package io.strata.dockerfile;

import java.util.Map;
import java.util.Optional;

/**
 * What one stage declares, as seen at its end: labels, envs and args in declaration order, and the
 * last CMD and ENTRYPOINT of the stage. Values are expanded unless the view was asked for raw.
 */
public record StageView(int index, String image, Map<String, String> labels, Map<String, String> envs,
        Map<String, String> args, Optional<Command> cmd, Optional<Command> entrypoint) {
    public StageView {
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        envs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(envs));
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }
}
