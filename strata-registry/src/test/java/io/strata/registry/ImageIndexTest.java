package io.strata.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The index Strata writes reads back, through the same parser that reads any registry's, as what was put in. */
class ImageIndexTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static List<ManifestList.Entry> entries() {
        return List.of(
                new ManifestList.Entry(new Descriptor(MediaTypes.DOCKER_MANIFEST, A, 528), Platform.linux("amd64")),
                new ManifestList.Entry(new Descriptor(MediaTypes.OCI_MANIFEST, B, 611),
                        new Platform("linux", "arm64", java.util.Optional.of("v8"))));
    }

    @Test
    void anOciIndexAndADockerListHoldEveryPlatformsManifest() throws RegistryException {
        for (boolean dockerList : new boolean[] {false, true}) {
            ImageIndex index = ImageIndex.of(dockerList, entries());
            byte[] bytes = index.toBytes();
            ImageReference where = ImageReference.parse("127.0.0.1:5000/app:1");

            Manifest parsed = ManifestParser.parse(where, java.util.Optional.of(index.mediaType()), Digests.sha256(bytes), bytes);

            assertThat(parsed).isInstanceOfSatisfying(ManifestList.class, list -> {
                assertThat(list.mediaType()).isEqualTo(dockerList ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX);
                assertThat(list.entries()).isEqualTo(entries());
            });
        }
    }

    @Test
    void anEmptyIndexOrAnImageMediaTypeIsRefused() {
        assertThatThrownBy(() -> ImageIndex.of(false, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageIndex(MediaTypes.OCI_MANIFEST, entries())).isInstanceOf(IllegalArgumentException.class);
    }
}
