package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {
    private static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);
    private static final String SHA512 = "sha512:" + "0123456789abcdef".repeat(8);

    static Stream<Arguments> validReferences() {
        return Stream.of(
                // text, registry, repository, tag, digest, toString
                Arguments.of("busybox", "docker.io", "library/busybox", null, null, "docker.io/library/busybox"),
                Arguments.of("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "docker.io/library/busybox:1.36"),
                Arguments.of("fedora/httpd", "docker.io", "fedora/httpd", null, null, "docker.io/fedora/httpd"),
                Arguments.of("docker.io/busybox", "docker.io", "library/busybox", null, null, "docker.io/library/busybox"),
                Arguments.of("index.docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", null,
                        "docker.io/library/busybox:latest"),
                Arguments.of("quay.io/strata/base:1.0", "quay.io", "strata/base", "1.0", null, "quay.io/strata/base:1.0"),
                Arguments.of("localhost/app", "localhost", "app", null, null, "localhost/app"),
                Arguments.of("localhost:5000/app:v1", "localhost:5000", "app", "v1", null, "localhost:5000/app:v1"),
                Arguments.of("127.0.0.1:5000/team/app/sub:tag_1.2-3", "127.0.0.1:5000", "team/app/sub", "tag_1.2-3", null,
                        "127.0.0.1:5000/team/app/sub:tag_1.2-3"),
                Arguments.of("[::1]:5000/app", "[::1]:5000", "app", null, null, "[::1]:5000/app"),
                Arguments.of("Registry/app", "Registry", "app", null, null, "Registry/app"),
                Arguments.of("registry.example.com/a.b/c_d/e__f/g--h", "registry.example.com", "a.b/c_d/e__f/g--h", null, null,
                        "registry.example.com/a.b/c_d/e__f/g--h"),
                Arguments.of("quay.io/app@" + SHA, "quay.io", "app", null, SHA, "quay.io/app@" + SHA),
                Arguments.of("quay.io/app:1@" + SHA, "quay.io", "app", "1", SHA, "quay.io/app:1@" + SHA),
                Arguments.of("busybox@" + SHA512, "docker.io", "library/busybox", null, SHA512,
                        "docker.io/library/busybox@" + SHA512),
                Arguments.of("host:5000/app@" + SHA, "host:5000", "app", null, SHA, "host:5000/app@" + SHA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void parsesLikeDocker(String text, String registry, String repository, String tag, String digest, String written)
            throws RegistryException {
        ImageReference reference = ImageReference.parse(text);

        assertThat(reference.registry()).isEqualTo(registry);
        assertThat(reference.repository()).isEqualTo(repository);
        assertThat(reference.tag()).isEqualTo(Optional.ofNullable(tag));
        assertThat(reference.digest()).isEqualTo(Optional.ofNullable(digest));
        assertThat(reference).hasToString(written);
        assertThat(ImageReference.parse(written)).isEqualTo(reference);
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                Arguments.of("", "invalid image reference '': it is empty"),
                Arguments.of("  ", "invalid image reference '  ': it is empty"),
                Arguments.of("Busybox", "invalid image reference 'Busybox': the repository name 'library/Busybox' must be lowercase"),
                Arguments.of("quay.io/Team/app", "invalid image reference 'quay.io/Team/app': the repository name 'Team/app' must be lowercase"),
                Arguments.of("quay.io/app:", "invalid image reference 'quay.io/app:': the tag after ':' is empty"),
                Arguments.of("quay.io/app:-bad", "invalid image reference 'quay.io/app:-bad': the tag '-bad' may only hold"
                        + " letters, digits, '_', '.' and '-', must not start with '.' or '-', and is at most 128 characters"),
                Arguments.of("quay.io/app:" + "t".repeat(129), "the tag '" + "t".repeat(129) + "' may only hold"),
                Arguments.of("quay.io/app@", "invalid image reference 'quay.io/app@': the digest after '@' is empty"),
                Arguments.of("quay.io/app@sha256:abc", "invalid image reference 'quay.io/app@sha256:abc': the digest"
                        + " 'sha256:abc' is not sha256:<64 lowercase hex digits> (or sha512:<128 hex digits>)"),
                Arguments.of("quay.io/app@md5:0123456789abcdef0123456789abcdef", "the digest 'md5:0123456789abcdef0123456789abcdef' is not"),
                Arguments.of("quay.io//app", "invalid image reference 'quay.io//app': the repository name '/app' has an empty path component"),
                Arguments.of("quay.io/app/", "the repository name 'app/' has an empty path component"),
                Arguments.of("quay.io/a..b", "the repository path component 'a..b' may only hold a-z, 0-9 and single '.', '_', '__' or '-'"
                        + " separators between them"),
                Arguments.of("quay.io/-app", "the repository path component '-app' may only hold"),
                Arguments.of("quay.io/app with space", "the repository path component 'app with space' may only hold"),
                Arguments.of("-bad.host/app", "invalid image reference '-bad.host/app': '-bad.host' is not a valid registry host[:port]"),
                Arguments.of("host:port/app", "'host:port' is not a valid registry host[:port]"),
                Arguments.of("0123456789abcdef".repeat(4), "a name of 64 hexadecimal characters is an image id, not a reference"),
                Arguments.of("quay.io/" + "a".repeat(250), "the name is 258 characters long; the limit is 255"),
                Arguments.of("quay.io/app@" + SHA + "@" + SHA, "the digest '" + SHA + "@" + SHA + "' is not"));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @MethodSource("invalidReferences")
    void rejectsInvalidReferencesNamingTheText(String text, String expectedMessage) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo(RegistryException.Reason.INVALID_IMAGE_REFERENCE);
                    assertThat(e.reason()).isEqualTo("INVALID_IMAGE_REFERENCE");
                    assertThat(e.getMessage()).contains(expectedMessage);
                    assertThat(e.hint()).startsWith("write it as [registry[:port]/]repository[:tag][@sha256:<64 hex digits>]");
                });
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> ImageReference.parse(null))
                .isInstanceOf(RegistryException.class)
                .hasMessage("invalid image reference 'null': it is empty");
    }

    @Test
    void withDigestKeepsTheTagAndPinnedToDropsIt() throws RegistryException {
        ImageReference tagged = ImageReference.parse("quay.io/app:1");

        assertThat(tagged.withDigest(SHA)).hasToString("quay.io/app:1@" + SHA);
        assertThat(tagged.pinnedTo(SHA)).hasToString("quay.io/app@" + SHA);
        assertThat(tagged.pinnedTo(SHA).withTag("2")).hasToString("quay.io/app:2");
        assertThat(tagged.name()).isEqualTo("quay.io/app");
    }

    @Test
    void withersValidateTheirArgument() throws RegistryException {
        ImageReference reference = ImageReference.parse("quay.io/app");

        assertThatThrownBy(() -> reference.withTag("bad tag"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the tag 'bad tag' may only hold");
        assertThatThrownBy(() -> reference.withDigest("sha256:xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the digest 'sha256:xyz' is not");
    }

    static Stream<Arguments> manifestReferences() {
        return Stream.of(
                Arguments.of("quay.io/app", "latest"),
                Arguments.of("quay.io/app:1", "1"),
                Arguments.of("quay.io/app@" + SHA, SHA),
                Arguments.of("quay.io/app:1@" + SHA, SHA));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("manifestReferences")
    void asksTheRegistryForTheDigestBeforeTheTagBeforeLatest(String text, String expected) throws RegistryException {
        ImageReference reference = ImageReference.parse(text);

        assertThat(reference.manifestReference()).isEqualTo(expected);
        assertThat(reference.isPinned()).isEqualTo(text.contains("@"));
    }

    /** Any reference built from valid parts is written out and parsed back to an equal value. */
    @Test
    void randomReferencesSurviveARoundTripThroughText() throws RegistryException {
        Random random = new Random(20261122L);
        String[] registries = {"quay.io", "127.0.0.1:5000", "localhost", "registry.example.com:443", "[::1]:5000", "docker.io"};
        for (int i = 0; i < 500; i++) {
            String registry = registries[random.nextInt(registries.length)];
            StringBuilder repository = new StringBuilder(component(random));
            int extra = random.nextInt(3);
            for (int c = 0; c < extra || (registry.equals("docker.io") && c < 1); c++) {
                repository.append('/').append(component(random));
            }
            Optional<String> tag = random.nextBoolean() ? Optional.of(tag(random)) : Optional.empty();
            Optional<String> digest = random.nextInt(3) == 0 ? Optional.of(digest(random)) : Optional.empty();
            ImageReference reference = new ImageReference(registry, repository.toString(), tag, digest);

            assertThat(ImageReference.parse(reference.toString())).as(reference.toString()).isEqualTo(reference);
        }
    }

    private static String component(Random random) {
        String alphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
        String[] separators = {".", "_", "__", "-", "--"};
        StringBuilder component = new StringBuilder();
        int parts = 1 + random.nextInt(3);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                component.append(separators[random.nextInt(separators.length)]);
            }
            for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                component.append(alphanumeric.charAt(random.nextInt(alphanumeric.length())));
            }
        }
        return component.toString();
    }

    private static String tag(Random random) {
        String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        String rest = first + ".-";
        StringBuilder tag = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
        for (int i = 0, n = random.nextInt(20); i < n; i++) {
            tag.append(rest.charAt(random.nextInt(rest.length())));
        }
        return tag.toString();
    }

    private static String digest(Random random) {
        StringBuilder hex = new StringBuilder("sha256:");
        for (int i = 0; i < 64; i++) {
            hex.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return hex.toString();
    }
}
