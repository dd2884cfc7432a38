package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What of the plan and the labels goes into the content key: not the per-build release, build-date and tags. */
class ContentKeyerTest {
    static String plan(String release, boolean scratch, String vendor) throws Exception {
        return PlanRenderer.render("worker", 6, Optional.empty(), new PlanOverrides(scratch, false, List.of("x86_64"),
                Map.of("release", release, "vendor", vendor))).toJson();
    }

    @Test
    void releaseAndTagsLeaveThePlanOfTheKeyAsItIs() throws Exception {
        String plain = ContentKeyer.contentPlan(plan("1", false, "Acme"));
        assertThat(ContentKeyer.contentPlan(plan("7", true, "Acme"))).isEqualTo(plain);
        assertThat(ContentKeyer.contentPlan(plan("1", false, "Other"))).as("a label that stays in the image")
                .isNotEqualTo(plain);
        assertThat(plain).doesNotContain("\"release\"").doesNotContain("floating_tags");
        assertThat(plan("1", false, "Acme")).contains("\"release\"");
    }

    @Test
    void perBuildLabelsAreLeftOut() {
        assertThat(ContentKeyer.withoutPerBuildLabels(Map.of("release", "3", "build-date", "2026", "name", "a/b")))
                .containsExactly(Map.entry("name", "a/b"));
    }

    @Test
    void aKeyHoldsOnlyForTheCommitAndParentsItWasMadeFrom() {
        ContentKey key = new ContentKey("sha256:k", "c1", "t1", Map.of("base:1", "r/base@sha256:a"), true);
        assertThat(key.matches("c1", Map.of("base:1", "r/base@sha256:a"))).isTrue();
        assertThat(key.matches("c2", Map.of("base:1", "r/base@sha256:a"))).as("the branch moved").isFalse();
        assertThat(key.matches("c1", Map.of("base:1", "r/base@sha256:b"))).as("the parent tag moved").isFalse();
        assertThat(key.matches(null, Map.of())).as("never checked out").isFalse();
    }
}
