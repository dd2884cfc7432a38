package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.plan.Plan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plans an engine read last, by their JSON text: reading one checks it against the step
 * catalogue (schema, arguments, the chain of steps), which cost the dry-run engine more CPU than
 * everything else it does for a build. A plan's text always reads as the same {@link Plan}
 * (immutable), so builds sharing a plan (the same component built again, a load test) read it
 * once; a plan that does not read is not kept, so it fails again each time. At most
 * {@link #SIZE} plans, the least recently used leaving first.
 */
final class ParsedPlans {
    static final int SIZE = 64;

    private final Map<String, Plan> byText = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
            return size() > SIZE;
        }
    };

    Plan read(BuildId id, String json) throws StrataException {
        synchronized (byText) {
            Plan known = byText.get(json);
            if (known != null) {
                return known;
            }
        }
        // Read outside the lock: builds of other plans need not wait for this one.
        Plan plan = Plan.fromJson("build " + id, json);
        synchronized (byText) {
            byText.put(json, plan);
        }
        return plan;
    }
}
