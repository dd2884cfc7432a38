package io.strata.core.render;

import io.strata.core.render.wire.BuildConfigWire;
import java.util.Objects;

/** A rendered orchestrator BuildConfig and the USER_PARAMS it carries (also available parsed). */
public record RenderedBuildConfig(BuildConfigWire buildConfig, UserParams userParams) {
    public RenderedBuildConfig {
        Objects.requireNonNull(buildConfig, "buildConfig");
        Objects.requireNonNull(userParams, "userParams");
    }
}
