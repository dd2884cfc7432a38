package io.strata.core.plan;

import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a build request and the configuration impose on a plan, applied after the template and
 * the customization (so a customize file cannot, say, give a scratch build floating tags).
 *
 * @param scratch   no floating tags
 * @param isolated  no floating tags
 * @param platforms the platforms an orchestrator fans out to ({@code orchestrate_build.platforms})
 * @param labels    labels added to the Dockerfile ({@code add_labels_in_dockerfile.labels}), merged over
 *                  the template's
 */
public record PlanOverrides(boolean scratch, boolean isolated, List<String> platforms, Map<String, String> labels) {

    public PlanOverrides {
        platforms = List.copyOf(Objects.requireNonNullElse(platforms, List.of()));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(labels, Map.of())));
    }

    /** Nothing imposed: the template and customization as they are. */
    public static PlanOverrides none() {
        return new PlanOverrides(false, false, List.of(), Map.of());
    }

    /**
     * Derives the overrides the way osbs-client fed atomic-reactor: the configured vendor,
     * distribution-scope and authoritative-source-url labels, then the request's labels over them,
     * then {@code release} when the request names one; platforms from the request, else every
     * configured platform.
     */
    public static PlanOverrides from(BuildRequest request, Configuration config) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (!config.vendor().isEmpty()) {
            labels.put("vendor", config.vendor());
        }
        labels.put("distribution-scope", config.distributionScope());
        config.authoritativeRegistry().ifPresent(r -> labels.put("authoritative-source-url", r));
        labels.putAll(new TreeMap<>(request.labels()));
        if (request.release() != null && !request.release().isBlank()) {
            labels.put("release", request.release());
        }
        List<String> platforms = request.platforms().isEmpty() ? List.copyOf(config.platforms().keySet()) : request.platforms();
        return new PlanOverrides(request.scratch(), request.isolated(), platforms, labels);
    }
}
