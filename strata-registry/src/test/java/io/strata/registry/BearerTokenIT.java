package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.testkit.BuildahFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RegistryClient} against a real distribution registry that requires Bearer tokens from a token service. */
class BearerTokenIT {
    @TempDir
    static Path dir;

    private static TokenAuthRegistry registry;
    private static BuildahFixture buildah;
    private static Path authFile;
    private static String privateDigest;
    private static String publicDigest;

    @BeforeAll
    static void pushImages() throws Exception {
        registry = new TokenAuthRegistry(dir);
        buildah = BuildahFixture.create();
        authFile = registry.writeAuthFile(dir.resolve("auth.json"), registry.password());
        privateDigest = push("team/app:1");
        publicDigest = push("public/base:1");
    }

    @AfterAll
    static void stop() {
        buildah.close();
        registry.close();
    }

    @Test
    void resolvesWithATokenFetchedWithTheCredentialsAndReusesIt() throws Exception {
        try (RegistryClient client = new RegistryClient(RegistryClientConfig.defaults()
                .withAuthFile(RegistryAuthFile.load(authFile)))) {
            int before = registry.tokenRequests();

            ResolvedImage first = client.resolve(reference("team/app:1"), Platform.linux("amd64"));
            ImageManifest again = client.manifest(reference("team/app:1"));
            boolean exists = client.tagExists(reference("team/app:1"));

            assertThat(first.digest()).isEqualTo(privateDigest);
            assertThat(again.digest()).isEqualTo(privateDigest);
            assertThat(exists).isTrue();
            assertThat(registry.tokenRequests() - before).as("one token for the pull scope, then cached").isEqualTo(1);
        }
    }

    @Test
    void pullsAPublicRepositoryWithAnAnonymousToken() throws Exception {
        try (RegistryClient anonymous = new RegistryClient(RegistryClientConfig.defaults())) {
            assertThat(anonymous.resolve(reference("public/base:1"), Platform.linux("amd64")).digest()).isEqualTo(publicDigest);
        }
    }

    @Test
    void anAnonymousTokenWithoutAccessIsAuthFailed() throws Exception {
        try (RegistryClient anonymous = new RegistryClient(RegistryClientConfig.defaults())) {
            assertThatThrownBy(() -> anonymous.resolve(reference("team/app:1"), Platform.linux("amd64")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_AUTH_FAILED);
                        assertThat(e.getMessage()).isEqualTo("registry " + registry.host() + " refused access to team/app:"
                                + " HTTP 401 to GET /v2/team/app/manifests/1 even with anonymous access (no credentials for "
                                + registry.host() + " in no registry auth file)");
                    });
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenService() throws Exception {
        Path wrong = registry.writeAuthFile(dir.resolve("wrong.json"), "wrong-" + registry.password());
        try (RegistryClient client = new RegistryClient(RegistryClientConfig.defaults().withAuthFile(RegistryAuthFile.load(wrong)))) {
            assertThatThrownBy(() -> client.resolve(reference("team/app:1"), Platform.linux("amd64")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.REGISTRY_AUTH_FAILED);
                        assertThat(e.getMessage()).startsWith("registry " + registry.host() + " refused access to team/app:"
                                + " its token service 127.0.0.1:").endsWith(" refused the credentials");
                        assertThat(e.getMessage() + e.hint()).doesNotContain(registry.password());
                    });
        }
    }

    @Test
    void deletesWithATokenForTheDeleteScope() throws Exception {
        String digest = push("team/half-pushed:1");
        try (RegistryClient client = new RegistryClient(RegistryClientConfig.defaults()
                .withAuthFile(RegistryAuthFile.load(authFile)))) {
            assertThat(client.deleteManifest(reference("team/half-pushed"), digest)).isTrue();
            assertThat(client.tagExists(reference("team/half-pushed:1"))).isFalse();
        }
    }

    private static ImageReference reference(String repositoryAndTag) throws RegistryException {
        return ImageReference.parse(registry.host() + "/" + repositoryAndTag);
    }

    /** A one-layer image from scratch, pushed by buildah through the token service; returns its digest. */
    private static String push(String repositoryAndTag) throws Exception {
        String container = buildah.buildah("from", "scratch").strip();
        String image = "localhost/strata-token-test-" + System.nanoTime();
        buildah.buildah("config", "--label", "pushed-as=" + repositoryAndTag, "--os", "linux", "--arch", "amd64", container);
        buildah.buildah("commit", "--quiet", container, image);
        buildah.buildah("rm", container);
        Path digestFile = dir.resolve("digest-" + System.nanoTime());
        buildah.buildah("push", "--tls-verify=false", "--authfile", authFile.toString(), "--digestfile", digestFile.toString(),
                image, "docker://" + registry.host() + "/" + repositoryAndTag);
        return Files.readString(digestFile).strip();
    }
}
