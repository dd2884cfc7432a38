package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.MediaTypes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the compressed layer digests alone tell which layers are the build's own (no config read),
 * and when they do not and the configs' diff_ids must be compared.
 */
class AddedLayersTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);

    private static AddedLayers.Described parent(String... layers) {
        ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST, "sha256:" + "f".repeat(64),
                new Descriptor("application/vnd.oci.image.config.v1+json", "sha256:" + "e".repeat(64), 2),
                java.util.Arrays.stream(layers).map(d -> new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", d, 1)).toList(), 500);
        return new AddedLayers.Described(manifest, () -> {
            throw new AssertionError("the diff_ids are not needed here");
        });
    }

    @Test
    void aParentAllOfWhoseLayersStartTheImagesGivesTheSharedLayers() {
        assertThat(AddedLayers.sharedByDigest(List.of(A, B, C), List.of(parent(A, B)))).contains(2);
    }

    @Test
    void withoutParentsEveryLayerIsTheBuilds() {
        assertThat(AddedLayers.sharedByDigest(List.of(A, B), List.of())).contains(0);
    }

    @Test
    void aParentLayerCompressedAgainIsLeftToTheDiffIds() {
        // The builder recompressed the parent's second layer: by digest only one is shared, by diff_id maybe both.
        assertThat(AddedLayers.sharedByDigest(List.of(A, D, C), List.of(parent(A, B)))).isEqualTo(Optional.empty());
    }

    @Test
    void aLongerParentThatCouldShareMoreIsLeftToTheDiffIds() {
        // A multi-stage build: the final stage's base matches fully, the other stage's parent is longer.
        assertThat(AddedLayers.sharedByDigest(List.of(A, B, C), List.of(parent(A, B), parent(D, D, D))))
                .isEqualTo(Optional.empty());
    }

    @Test
    void aShorterUnrelatedParentDoesNotHideTheMatch() {
        assertThat(AddedLayers.sharedByDigest(List.of(A, B, C), List.of(parent(D), parent(A, B)))).contains(2);
    }
}
