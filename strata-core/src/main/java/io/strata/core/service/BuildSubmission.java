package io.strata.core.service;

import io.strata.core.plan.CustomizeJson;
import io.strata.core.request.BuildRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a front end hands to {@link BuildService#submit}: the request (credentials in its URLs
 * allowed; the service moves them into its secret store) and an optional customize document.
 */
public record BuildSubmission(BuildRequest request, Optional<CustomizeJson> customize) {
    public BuildSubmission {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(customize, "customize");
    }

    public static BuildSubmission of(BuildRequest request) {
        return new BuildSubmission(request, Optional.empty());
    }
}
