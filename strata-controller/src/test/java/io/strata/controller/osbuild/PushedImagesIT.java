package io.strata.controller.osbuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.MockCluster;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.ImageReference;
import io.strata.registry.MediaTypes;
import io.strata.registry.RegistryClient;
import io.strata.testkit.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reuse check against a real registry that needs credentials to read: it asks with the push
 * Secret's, and a refusal is "cannot tell", never "still there" (it once counted a 401 as present).
 */
class PushedImagesIT {
    static RegistryFixture registry;
    static MockCluster cluster;
    static String image;
    static final PushedImages images = new PushedImages(RegistryClientConfig.defaults());

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryFixture.start();
        cluster = MockCluster.start();
        Path auth = registry.writeAuthFile(Files.createTempFile("auth", ".json"));
        cluster.secret("push", Files.readString(auth));
        Files.delete(auth);
        image = pushSmallImage();
        cluster.secret("anonymous");
        cluster.secret("wrong", "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString((registry.username() + ":not-the-password").getBytes()) + "\"}}}");
    }

    /** An image of a config and no layers, pushed with the push Secret's credentials; returns it by digest. */
    static String pushSmallImage() throws Exception {
        try (RegistryClient client = new RegistryClient(images.with(SecretAuth.of(cluster.client(), "push")))) {
            ImageReference target = ImageReference.parse(registry.host() + "/os/layered:1");
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes();
            String configDigest = client.blobs().upload(target, config);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                    + "},\"layers\":[]}";
            return registry.host() + "/os/layered@" + client.putManifest(target, "1", MediaTypes.OCI_MANIFEST, manifest.getBytes());
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {cluster, registry}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    PushedImages.Presence check(String pullspec, String secret) throws Exception {
        return images.check(pullspec, SecretAuth.of(cluster.client(), secret));
    }

    @Test
    void withThePushSecretsCredentialsAPushedImageIsThereAndAnUnknownDigestIsGone() throws Exception {
        assertThat(check(image, "push")).isInstanceOf(PushedImages.Presence.Present.class);
        assertThat(check(registry.host() + "/os/layered@sha256:" + "0".repeat(64), "push")).isInstanceOf(PushedImages.Presence.Gone.class);
    }

    @Test
    void refusedCredentialsCannotTellAndSaySoWithoutTheSecret() throws Exception {
        for (String secret : new String[] {"anonymous", "wrong"}) {
            PushedImages.Presence presence = check(image, secret);
            assertThat(presence).as(secret).isInstanceOf(PushedImages.Presence.Unknown.class);
            PushedImages.Presence.Unknown unknown = (PushedImages.Presence.Unknown) presence;
            assertThat(unknown.reason()).isEqualTo("IMAGE_CHECK_UNAUTHORIZED");
            assertThat(unknown.message()).contains("Secret openshift-machine-config-operator/" + secret, image)
                    .doesNotContain(registry.password(), "not-the-password");
        }
    }
}
