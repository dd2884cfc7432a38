package io.strata.controller.build;

/** What a builder object says about its build; the pool's and the MachineOSBuild's conditions follow it. */
public sealed interface BuildProgress {
    /** There is no builder object (never made, or deleted). */
    record Absent() implements BuildProgress {
    }

    /** Made, not yet running (pod scheduled or image pulling, Build New/Pending). */
    record Pending() implements BuildProgress {
    }

    record Running() implements BuildProgress {
    }

    /** Pushed; {@code digest} is the manifest digest ({@code sha256:...}). */
    record Succeeded(String digest) implements BuildProgress {
    }

    /** Failed for good; {@code reason} is a stable code, {@code message} what the builder said. */
    record Failed(String reason, String message) implements BuildProgress {
    }

    /** Stopped from outside (cancelled, its pod deleted) before it ended. */
    record Interrupted(String message) implements BuildProgress {
    }
}
