# Providers pinned to the major versions this configuration is written and checked for
# (terraform/README.md, "How it is checked"). azurerm 5.0 removed and renamed arguments used here:
# "~> 4.42" means >= 4.42, < 5.0.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.42"
    }
    databricks = {
      # databricks/databricks, not databrickslabs/ (the old name) nor hashicorp/ (does not exist).
      source = "databricks/databricks"
      # 1.106 uploads workspace files above 10 MB: the job jar is one.
      version = "~> 1.106"
    }
  }
}
