package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.registry.ImageReference;
import org.junit.jupiter.api.Test;

/** What is kept for the next reader of a layer, and the bound on what is kept. */
class RecentLayersTest {
    private static final ImageReference APP = new ImageReference("127.0.0.1:5999", "team/app", java.util.Optional.empty(),
            java.util.Optional.empty());
    private static final ImageReference OTHER = new ImageReference("127.0.0.1:5999", "team/other",
            java.util.Optional.empty(), java.util.Optional.empty());
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void aLayerIsKeptForItsOwnRepositoryOnly() {
        RecentLayers recent = new RecentLayers();
        recent.keep(RecentLayers.key(APP, DIGEST), new byte[] {1, 2, 3});

        assertThat(recent.kept(RecentLayers.key(APP.withTag("1"), DIGEST))).hasValueSatisfying(
                bytes -> assertThat(bytes).containsExactly(1, 2, 3));
        assertThat(recent.kept(RecentLayers.key(OTHER, DIGEST))).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedGoBeyondTheBoundAndLargeLayersAreNotKept() {
        RecentLayers recent = new RecentLayers();
        int layer = RecentLayers.MAX_LAYER;
        int fit = (int) (RecentLayers.MAX_TOTAL / layer);
        for (int i = 0; i < fit; i++) {
            recent.keep("layer-" + i, new byte[layer]);
        }
        recent.kept("layer-0");  // used again: now the most recent
        recent.keep("one-more", new byte[layer]);
        recent.keep("too-large", new byte[layer + 1]);

        assertThat(recent.keptBytes()).isLessThanOrEqualTo(RecentLayers.MAX_TOTAL);
        assertThat(recent.kept("layer-0")).isPresent();
        assertThat(recent.kept("layer-1")).isEmpty();
        assertThat(recent.kept("one-more")).isPresent();
        assertThat(recent.kept("too-large")).isEmpty();
    }
}
