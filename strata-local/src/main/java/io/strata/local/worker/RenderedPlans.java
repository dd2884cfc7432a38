package io.strata.local.worker;

import io.strata.core.config.ConfigException;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.plan.Plan;
import io.strata.core.plan.PlanOverrides;
import io.strata.core.plan.PlanRenderer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The worker plans the build service rendered last, with their JSON text, by what they were
 * rendered from: rendering (template, overrides, the check of the chain of steps) and writing the
 * JSON cost more CPU per submission than storing the build. The same arrangement and overrides
 * always render the same plan, so builds of the same component with the same labels render once.
 * A submission with a customize document is rendered every time (it is not kept). At most
 * {@link #SIZE} plans, the least recently used leaving first.
 */
final class RenderedPlans {
    static final int SIZE = 64;

    /** A plan and the text it is stored as. */
    record Rendered(Plan plan, String json) {}

    private record Inputs(int arrangementVersion, PlanOverrides overrides) {}

    private final Map<Inputs, Rendered> byInputs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Inputs, Rendered> eldest) {
            return size() > SIZE;
        }
    };

    Rendered render(int arrangementVersion, Optional<CustomizeJson> customize, PlanOverrides overrides)
            throws ConfigException {
        if (customize.isPresent()) {
            Plan plan = PlanRenderer.render("worker", arrangementVersion, customize, overrides);
            return new Rendered(plan, plan.toJson());
        }
        Inputs inputs = new Inputs(arrangementVersion, overrides);
        synchronized (byInputs) {
            Rendered known = byInputs.get(inputs);
            if (known != null) {
                return known;
            }
        }
        // Rendered outside the lock: submissions of other plans need not wait for this one.
        Plan plan = PlanRenderer.render("worker", arrangementVersion, customize, overrides);
        Rendered rendered = new Rendered(plan, plan.toJson());
        synchronized (byInputs) {
            byInputs.put(inputs, rendered);
        }
        return rendered;
    }
}
