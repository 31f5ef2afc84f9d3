package io.tributary.pipelines.lakehouse.storage;

import io.tributary.pipelines.lakehouse.Lakehouse;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;

/**
 * How the lakehouse's store is reached: nothing for a local directory; for ADLS Gen2 ({@code
 * abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH}) the Hadoop ABFS connector's settings for
 * that account, by one of the authentications a Databricks cluster offers ({@link Auth}).
 *
 * <p>Serializable and free of secrets: a service principal's client secret is read from an
 * environment variable where the configuration is built (driver and every executor; on Databricks
 * the cluster's {@code spark_env_vars} fill it from a secret scope), so it never travels inside the
 * pipeline or its checkpoint.
 *
 * @param root the lakehouse root as given
 * @param host the ABFS account host ({@code ACCOUNT.dfs.core.windows.net}); null for a local root
 * @param auth how ABFS authenticates; null for a local root
 * @param settings Hadoop settings this store needs, without secrets
 * @param secretsFromEnvironment Hadoop setting → the environment variable holding its value
 */
public record LakeStorage(
    String root,
    String host,
    Auth auth,
    TreeMap<String, String> settings,
    TreeMap<String, String> secretsFromEnvironment)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The environment variable holding a service principal's client secret, unless told. */
  public static final String DEFAULT_CLIENT_SECRET_ENV = "TRIBUTARY_AZURE_CLIENT_SECRET";

  static final String CLIENT_CREDS_PROVIDER =
      "org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider";
  static final String MSI_PROVIDER = "org.apache.hadoop.fs.azurebfs.oauth2.MsiTokenProvider";

  /** How ABFS authenticates to the storage account. */
  public enum Auth {
    /**
     * Whatever the environment's Hadoop configuration says: on Spark the cluster's {@code
     * spark.hadoop.fs.azure.*} settings (Databricks: service principal or account key in the
     * cluster's Spark config, secrets from a scope), elsewhere core-site.xml.
     */
    CLUSTER,
    /** OAuth 2.0 client credentials of a Microsoft Entra service principal. */
    SERVICE_PRINCIPAL,
    /** The Azure managed identity of the machines (VMs) the pipeline runs on. */
    MANAGED_IDENTITY;

    /** {@code service-principal} → SERVICE_PRINCIPAL. */
    static Auth parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad value for --lakehouseAuth: '"
                + value
                + "' is not cluster, service-principal or managed-identity");
      }
    }
  }

  /**
   * The authentication options as given on the command line.
   *
   * @param auth {@code cluster}, {@code service-principal} or {@code managed-identity}
   * @param tenantId Microsoft Entra tenant (directory) id
   * @param clientId the service principal's application id, or a user-assigned identity's client id
   * @param clientSecretEnv the environment variable holding the service principal's secret
   */
  public record AuthOptions(String auth, String tenantId, String clientId, String clientSecretEnv) {
    public static final AuthOptions CLUSTER =
        new AuthOptions("cluster", null, null, DEFAULT_CLIENT_SECRET_ENV);
  }

  /** A local directory: no settings. */
  public static LakeStorage local(String root) {
    return new LakeStorage(root, null, null, new TreeMap<>(), new TreeMap<>());
  }

  /**
   * The storage of a lakehouse root.
   *
   * @throws IllegalArgumentException naming the option at fault for an unusable root or missing
   *     authentication options
   */
  public static LakeStorage of(String root, AuthOptions options) {
    String scheme = scheme(root);
    if (scheme == null || scheme.equals("file")) {
      return local(root);
    }
    if (scheme.equals("abfs")) {
      throw new IllegalArgumentException(
          "lakehouse " + root + " uses abfs://, which is unencrypted: use abfss://");
    }
    if (!scheme.equals("abfss")) {
      throw new IllegalArgumentException(
          "lakehouse "
              + root
              + ": only local directories and ADLS Gen2 (abfss://) are supported, not "
              + scheme
              + "://");
    }
    String host = abfsHost(root);
    String account = host.substring(0, host.indexOf('.'));
    Auth auth = Auth.parse(options.auth() == null ? "cluster" : options.auth());
    TreeMap<String, String> settings = new TreeMap<>();
    TreeMap<String, String> secrets = new TreeMap<>();
    switch (auth) {
      case CLUSTER -> {}
      case SERVICE_PRINCIPAL -> {
        String tenant = required(options.tenantId(), "azureTenantId", auth);
        settings.put(key("fs.azure.account.auth.type", host), "OAuth");
        settings.put(key("fs.azure.account.oauth.provider.type", host), CLIENT_CREDS_PROVIDER);
        settings.put(
            key("fs.azure.account.oauth2.client.id", host),
            required(options.clientId(), "azureClientId", auth));
        settings.put(
            key("fs.azure.account.oauth2.client.endpoint", host),
            "https://login.microsoftonline.com/" + tenant + "/oauth2/token");
        secrets.put(
            key("fs.azure.account.oauth2.client.secret", host),
            required(options.clientSecretEnv(), "azureClientSecretEnv", auth));
      }
      case MANAGED_IDENTITY -> {
        settings.put(key("fs.azure.account.auth.type", host), "OAuth");
        settings.put(key("fs.azure.account.oauth.provider.type", host), MSI_PROVIDER);
        settings.put(
            key("fs.azure.account.oauth2.msi.tenant", host),
            required(options.tenantId(), "azureTenantId", auth));
        // ABFS requires the setting; empty means the machine's system-assigned identity, a client
        // id picks one of its user-assigned identities.
        settings.put(
            key("fs.azure.account.oauth2.client.id", host),
            options.clientId() == null ? "" : options.clientId().trim());
      }
    }
    return new LakeStorage(root, host, auth, settings, secrets).checkAccount(account);
  }

  /** True for an ADLS Gen2 root. */
  public boolean isAbfs() {
    return host != null;
  }

  /**
   * Adds this store's settings, secrets included, to {@code conf}.
   *
   * @param environment reads an environment variable ({@code System::getenv})
   * @throws IllegalStateException naming the variable if a secret's variable is not set here
   */
  public Configuration applyTo(Configuration conf, UnaryOperator<String> environment) {
    resolvedSettings(environment).forEach(conf::set);
    return conf;
  }

  /**
   * Like {@link #applyTo}, but leaves out a secret whose variable is not set: for configurations
   * shared by every lakehouse of the JVM, where one lakehouse's missing secret must not break
   * another's access (its own access then fails in ABFS, after {@link Lakehouse#checkWritable}
   * named the variable).
   */
  Configuration applyAvailableTo(Configuration conf, UnaryOperator<String> environment) {
    settings.forEach(conf::set);
    secretsFromEnvironment.forEach(
        (key, variable) -> {
          String value = environment.apply(variable);
          if (value != null && !value.isBlank()) {
            conf.set(key, value);
          }
        });
    return conf;
  }

  /** The settings with the secrets read from the environment. */
  public Map<String, String> resolvedSettings(UnaryOperator<String> environment) {
    Map<String, String> resolved = new TreeMap<>(settings);
    secretsFromEnvironment.forEach(
        (key, variable) -> {
          String value = environment.apply(variable);
          if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                "the environment variable "
                    + variable
                    + " holding the service principal's client secret for "
                    + host
                    + " is not set on this machine (on Databricks, set it in the cluster's"
                    + " spark_env_vars from a secret scope: {{secrets/SCOPE/KEY}})");
          }
          resolved.put(key, value);
        });
    return resolved;
  }

  /**
   * Checks, without contacting Azure, that {@code conf} (this store's settings applied) tells ABFS
   * how to authenticate to the account.
   *
   * @throws IllegalArgumentException saying which options would fix it
   */
  public void checkCredentials(Configuration conf) {
    if (!isAbfs()) {
      return;
    }
    String authType = conf.get(key("fs.azure.account.auth.type", host), conf.get(AUTH_TYPE));
    boolean accountKey =
        conf.get(key("fs.azure.account.key", host)) != null
            && (authType == null || authType.equals("SharedKey"));
    boolean oauth =
        "OAuth".equals(authType)
            && conf.get(
                    key("fs.azure.account.oauth.provider.type", host),
                    conf.get("fs.azure.account.oauth.provider.type"))
                != null;
    if (!accountKey && !oauth && !"Custom".equals(authType) && !"SAS".equals(authType)) {
      throw new IllegalArgumentException(
          "lakehouse "
              + root
              + " has no credentials for "
              + host
              + ": pass --lakehouseAuth=service-principal with --azureTenantId, --azureClientId and the"
              + " secret in the environment variable "
              + DEFAULT_CLIENT_SECRET_ENV
              + ", or --lakehouseAuth=managed-identity, or give the cluster the Spark settings"
              + " spark.hadoop.fs.azure.account.auth.type."
              + host
              + " and friends (see runner-profiles/README.md)");
    }
  }

  private static final String AUTH_TYPE = "fs.azure.account.auth.type";

  private LakeStorage checkAccount(String account) {
    if (!account.matches("[a-z0-9]{3,24}")) {
      throw new IllegalArgumentException(
          "lakehouse "
              + root
              + ": '"
              + account
              + "' is not a storage account name (3-24 lower-case letters and digits)");
    }
    return this;
  }

  /** {@code fs.azure.X.ACCOUNT.dfs.core.windows.net}: ABFS settings for one account. */
  static String key(String setting, String host) {
    return setting + "." + host;
  }

  private static String required(String value, String option, Auth auth) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "--lakehouseAuth="
              + auth.name().toLowerCase(Locale.ROOT).replace('_', '-')
              + " needs --"
              + option);
    }
    return value.trim();
  }

  private static String scheme(String root) {
    int colon = root.indexOf("://");
    return colon < 0 ? null : root.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The account host of {@code abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH}. */
  private static String abfsHost(String root) {
    String expected =
        ": an ADLS Gen2 lakehouse looks like abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH";
    URI uri;
    try {
      uri = new URI(root);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("lakehouse " + root + " is not a URI" + expected);
    }
    String authority = uri.getRawAuthority();
    int at = authority == null ? -1 : authority.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("lakehouse " + root + " names no container" + expected);
    }
    String host = authority.substring(at + 1).toLowerCase(Locale.ROOT);
    if (!host.matches("[^.]+\\.dfs\\.core\\.[a-z0-9.]+")) {
      throw new IllegalArgumentException(
          "lakehouse " + root + ": " + host + " is not an ADLS Gen2 (dfs) endpoint" + expected);
    }
    return host;
  }
}
