package io.tributary.pipelines.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.azurebfs.AbfsConfiguration;
import org.apache.hadoop.fs.azurebfs.SecureAzureBlobFileSystem;
import org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider;
import org.apache.hadoop.fs.azurebfs.oauth2.MsiTokenProvider;
import org.apache.hadoop.fs.azurebfs.services.AuthType;
import org.junit.jupiter.api.Test;

/**
 * An {@code abfss://} lakehouse up to the point where Azure would be called: the Hadoop
 * configuration built for each authentication, checked by the ABFS connector itself (which builds
 * its token provider from it, without a token request), and the messages for what is missing.
 */
public class AbfsStorageTest {
  static final String ROOT = "abfss://lake@tributarydev.dfs.core.windows.net/tributary";
  static final String HOST = "tributarydev.dfs.core.windows.net";
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String CLIENT = "66666666-7777-8888-9999-000000000000";

  /** The environment of a machine where the secret scope filled the variable. */
  static final UnaryOperator<String> ENVIRONMENT =
      Map.of(LakeStorage.DEFAULT_CLIENT_SECRET_ENV, "s3cr3t")::get;

  private static LakeStorage servicePrincipal() {
    return LakeStorage.of(
        ROOT,
        new LakeStorage.AuthOptions(
            "service-principal", TENANT, CLIENT, LakeStorage.DEFAULT_CLIENT_SECRET_ENV));
  }

  @Test
  void aServicePrincipalGetsTheOauthClientCredentialSettingsOfItsAccount() throws Exception {
    Configuration conf = servicePrincipal().applyTo(new Configuration(false), ENVIRONMENT);

    assertThat(conf.get("fs.azure.account.auth.type." + HOST)).isEqualTo("OAuth");
    assertThat(conf.get("fs.azure.account.oauth.provider.type." + HOST))
        .isEqualTo(ClientCredsTokenProvider.class.getName());
    assertThat(conf.get("fs.azure.account.oauth2.client.id." + HOST)).isEqualTo(CLIENT);
    assertThat(conf.get("fs.azure.account.oauth2.client.secret." + HOST)).isEqualTo("s3cr3t");
    assertThat(conf.get("fs.azure.account.oauth2.client.endpoint." + HOST))
        .isEqualTo("https://login.microsoftonline.com/" + TENANT + "/oauth2/token");

    AbfsConfiguration abfs = new AbfsConfiguration(conf, HOST);
    assertThat(abfs.getAuthType(HOST)).isEqualTo(AuthType.OAuth);
    assertThat(abfs.getTokenProvider()).isInstanceOf(ClientCredsTokenProvider.class);
  }

  @Test
  void aManagedIdentityGetsTheMsiProvider() throws Exception {
    LakeStorage storage =
        LakeStorage.of(ROOT, new LakeStorage.AuthOptions("managed-identity", TENANT, CLIENT, null));
    Configuration conf = storage.applyTo(new Configuration(false), name -> null);

    AbfsConfiguration abfs = new AbfsConfiguration(conf, HOST);
    assertThat(abfs.getTokenProvider()).isInstanceOf(MsiTokenProvider.class);
    assertThat(conf.get("fs.azure.account.oauth2.client.id." + HOST)).isEqualTo(CLIENT);
    assertThat(conf.get("fs.azure.account.oauth2.msi.tenant." + HOST)).isEqualTo(TENANT);
    storage.checkCredentials(conf);
    assertThatThrownBy(
            () ->
                LakeStorage.of(
                    ROOT, new LakeStorage.AuthOptions("managed-identity", null, null, null)))
        .hasMessage("--lakehouseAuth=managed-identity needs --azureTenantId");
  }

  @Test
  void theSecretStaysOutOfTheSerializableStorage() {
    LakeStorage storage = servicePrincipal();

    assertThat(storage.toString()).doesNotContain("s3cr3t");
    assertThat(storage.secretsFromEnvironment())
        .containsEntry(
            "fs.azure.account.oauth2.client.secret." + HOST, LakeStorage.DEFAULT_CLIENT_SECRET_ENV);
    assertThat(storage.settings())
        .doesNotContainKey("fs.azure.account.oauth2.client.secret." + HOST);
  }

  @Test
  void aMissingSecretNamesItsEnvironmentVariable() {
    assertThatThrownBy(() -> servicePrincipal().applyTo(new Configuration(false), name -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "the environment variable TRIBUTARY_AZURE_CLIENT_SECRET holding the service principal's"
                + " client secret for tributarydev.dfs.core.windows.net is not set on this machine");
  }

  @Test
  void withoutCredentialsTheCheckSaysHowToGiveThem() {
    LakeStorage storage = LakeStorage.of(ROOT, LakeStorage.AuthOptions.CLUSTER);

    assertThatThrownBy(() -> storage.checkCredentials(new Configuration(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lakehouse "
                + ROOT
                + " has no credentials for tributarydev.dfs.core.windows.net: pass"
                + " --lakehouseAuth=service-principal with --azureTenantId, --azureClientId");
  }

  @Test
  void theClustersOwnCredentialsAreEnough() {
    Configuration cluster = new Configuration(false);
    cluster.set("fs.azure.account.auth.type." + HOST, "OAuth");
    cluster.set(
        "fs.azure.account.oauth.provider.type." + HOST, ClientCredsTokenProvider.class.getName());

    LakeStorage.of(ROOT, LakeStorage.AuthOptions.CLUSTER).checkCredentials(cluster);
  }

  @Test
  void aServicePrincipalNeedsItsTenantAndClient() {
    assertThatThrownBy(
            () ->
                LakeStorage.of(
                    ROOT, new LakeStorage.AuthOptions("service-principal", TENANT, null, "X")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--lakehouseAuth=service-principal needs --azureClientId");
  }

  @Test
  void rootsThatAreNotAdlsGen2() {
    assertThatThrownBy(() -> LakeStorage.of("abfs://lake@acct.dfs.core.windows.net/x", null))
        .hasMessageContaining("uses abfs://, which is unencrypted: use abfss://");
    assertThatThrownBy(
            () ->
                LakeStorage.of(
                    "abfss://acct.dfs.core.windows.net/x", LakeStorage.AuthOptions.CLUSTER))
        .hasMessageContaining("names no container");
    assertThatThrownBy(
            () ->
                LakeStorage.of(
                    "abfss://lake@acct.blob.core.windows.net/x", LakeStorage.AuthOptions.CLUSTER))
        .hasMessageContaining("acct.blob.core.windows.net is not an ADLS Gen2 (dfs) endpoint");
    assertThatThrownBy(() -> LakeStorage.of("s3a://bucket/x", LakeStorage.AuthOptions.CLUSTER))
        .hasMessageContaining("only local directories and ADLS Gen2 (abfss://) are supported");
    assertThatThrownBy(
            () -> LakeStorage.of(ROOT, new LakeStorage.AuthOptions("kerberos", null, null, null)))
        .hasMessage(
            "bad value for --lakehouseAuth: 'kerberos' is not cluster, service-principal or"
                + " managed-identity");
  }

  @Test
  void hadoopFindsTheAbfsConnectorForTheScheme() throws Exception {
    assertThat(FileSystem.getFileSystemClass("abfss", new Configuration()))
        .isEqualTo(SecureAzureBlobFileSystem.class);
  }

  @Test
  void aLocalRootNeedsNothing() {
    LakeStorage storage = LakeStorage.of("/tmp/lake", LakeStorage.AuthOptions.CLUSTER);

    assertThat(storage.isAbfs()).isFalse();
    assertThat(storage.resolvedSettings(name -> null)).isEmpty();
    storage.checkCredentials(new Configuration(false));
  }
}
