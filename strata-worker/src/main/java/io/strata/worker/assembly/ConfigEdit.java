package io.strata.worker.assembly;

import java.util.List;
import java.util.Map;

/** One metadata instruction's change to the image configuration. */
sealed interface ConfigEdit {
    /** ARG: history only. */
    record None() implements ConfigEdit {}

    record Env(Map<String, String> values) implements ConfigEdit {}

    record Labels(Map<String, String> values) implements ConfigEdit {}

    record WorkingDir(String path) implements ConfigEdit {}

    record User(String user) implements ConfigEdit {}

    record StopSignal(String signal) implements ConfigEdit {}

    record Expose(List<String> ports) implements ConfigEdit {}

    record Cmd(List<String> args) implements ConfigEdit {}

    record Entrypoint(List<String> args) implements ConfigEdit {}
}
