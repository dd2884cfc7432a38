package io.strata.core.plan;

import java.util.Locale;
import java.util.Optional;

/** When a step runs; a plan's steps are ordered by phase, and keep their template order within one. */
public enum StepPhase {
    PREBUILD,
    BUILD,
    POSTBUILD,
    EXIT;

    /**
     * The phase an osbs-client customize document means by {@code plugin_type}: atomic-reactor's
     * names ({@code prebuild_plugins}, {@code buildstep_plugins}, {@code postbuild_plugins},
     * {@code prepublish_plugins}, {@code exit_plugins}) or this enum's names in any case.
     */
    public static Optional<StepPhase> fromPluginType(String pluginType) {
        String type = pluginType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "prebuild_plugins", "prebuild" -> Optional.of(PREBUILD);
            case "buildstep_plugins", "build" -> Optional.of(BUILD);
            case "prepublish_plugins", "postbuild_plugins", "postbuild" -> Optional.of(POSTBUILD);
            case "exit_plugins", "exit" -> Optional.of(EXIT);
            default -> Optional.empty();
        };
    }
}
