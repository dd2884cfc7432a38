package io.strata.worker.assembly;

import java.util.List;
import java.util.Optional;

/**
 * What Strata does to assemble one stage: its base image (empty for scratch) and, in Dockerfile
 * order, the layers to write and the configuration changes, each with its history line.
 */
record AssemblyPlan(Optional<String> baseImage, List<Step> steps) {
    AssemblyPlan {
        steps = List.copyOf(steps);
    }

    sealed interface Step {
        String createdBy();

        /** A COPY or ADD: one layer. */
        record Copy(CopyInstruction copy) implements Step {
            @Override
            public String createdBy() {
                return copy.createdBy();
            }
        }

        /** A metadata instruction: a change of the configuration and a history entry without a layer. */
        record Metadata(String createdBy, ConfigEdit edit) implements Step {}
    }

    long layers() {
        return steps.stream().filter(Step.Copy.class::isInstance).count();
    }
}
