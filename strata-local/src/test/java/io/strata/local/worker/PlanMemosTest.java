package io.strata.local.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plans the service renders and the dry-run engine reads are the ones rendering and reading give, once per input. */
class PlanMemosTest {
    private static final int ARRANGEMENT = 6;
    private static final PlanOverrides HELLO = new PlanOverrides(false, false, List.of("x86_64"), Map.of("vendor", "Example"));
    private static final BuildId ID = new BuildId("20261122-100000-abcdef");

    @Test
    void aRenderedPlanIsWhatTheRendererGivesAndTheSameInputsRenderOnce() throws StrataException {
        RenderedPlans plans = new RenderedPlans();
        Plan expected = PlanRenderer.render("worker", ARRANGEMENT, Optional.empty(), HELLO);

        RenderedPlans.Rendered first = plans.render(ARRANGEMENT, Optional.empty(), HELLO);
        assertThat(first.plan()).isEqualTo(expected);
        assertThat(first.json()).isEqualTo(expected.toJson());
        assertThat(plans.render(ARRANGEMENT, Optional.empty(),
                new PlanOverrides(false, false, List.of("x86_64"), Map.of("vendor", "Example")))).isSameAs(first);

        PlanOverrides other = new PlanOverrides(false, false, List.of("x86_64"), Map.of("vendor", "Other"));
        RenderedPlans.Rendered otherPlan = plans.render(ARRANGEMENT, Optional.empty(), other);
        assertThat(otherPlan.json()).isNotEqualTo(first.json())
                .isEqualTo(PlanRenderer.render("worker", ARRANGEMENT, Optional.empty(), other).toJson());
    }

    @Test
    void aCustomizedPlanIsRenderedEachTimeAndABadOneIsRefusedEachTime() throws StrataException {
        RenderedPlans plans = new RenderedPlans();
        Optional<CustomizeJson> bad = Optional.of(new CustomizeJson("customize.json", "{\"disable_plugins\": 7}"));
        assertThatThrownBy(() -> plans.render(ARRANGEMENT, bad, HELLO)).isInstanceOf(StrataException.class);
        assertThatThrownBy(() -> plans.render(ARRANGEMENT, bad, HELLO)).isInstanceOf(StrataException.class);
    }

    @Test
    void aPlanReadByTextIsTheOneFromJsonGivesReadOnceAndABadOneFailsEachTime() throws StrataException {
        ParsedPlans parsed = new ParsedPlans();
        String json = PlanRenderer.render("worker", ARRANGEMENT, Optional.empty(), HELLO).toJson();

        Plan first = parsed.read(ID, json);
        assertThat(first).isEqualTo(Plan.fromJson("test", json));
        assertThat(parsed.read(ID, new String(json.toCharArray()))).isSameAs(first);
        String broken = json.replace("\"worker\"", "\"no-such-type\"");
        assertThat(broken).isNotEqualTo(json);
        assertThatThrownBy(() -> parsed.read(ID, broken)).isInstanceOf(StrataException.class);
        assertThatThrownBy(() -> parsed.read(ID, broken)).isInstanceOf(StrataException.class);
    }
}
