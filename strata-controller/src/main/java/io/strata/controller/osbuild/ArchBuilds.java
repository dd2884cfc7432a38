package io.strata.controller.osbuild;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.strata.controller.build.BuildObjectNames;
import io.strata.controller.build.BuildProgress;
import io.strata.controller.build.LayeredBuild;
import io.strata.controller.inputs.BuildInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The parts of one MachineOSBuild, one per architecture it was made for (its {@code strata.io/architectures}
 * annotation). A build of one architecture keeps the plain names ({@code build-NAME}) and pushes to the
 * final pullspec itself; a build of several runs {@code build-NAME-ARCH} per architecture, each pushing to
 * the final image's repository under the tag {@code NAME-ARCH}, and the index joins them afterwards.
 */
final class ArchBuilds {
    /** The status field (kept by the CRD's unknown fields) that reports each architecture's progress. */
    static final String STATUS_FIELD = "architectures";

    /** One architecture's build. */
    record Part(String architecture, LayeredBuild build) {
    }

    private final List<Part> parts;
    private final BuildInputs inputs;

    private ArchBuilds(List<Part> parts, BuildInputs inputs) {
        this.parts = List.copyOf(parts);
        this.inputs = inputs;
    }

    static ArchBuilds of(MachineOSBuild build, MachineOSConfig config, BuildInputs ready) {
        String name = build.getMetadata().getName();
        List<String> architectures = Architectures.parse(build.getMetadata().getAnnotations());
        boolean several = architectures.size() > 1;
        var owner = new OwnerReferenceBuilder().withApiVersion(build.getApiVersion()).withKind(build.getKind()).withName(name)
                .withUid(build.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
        List<Part> parts = new ArrayList<>();
        for (String arch : architectures) {
            BuildInputs inputs = several ? new BuildInputs(ready.baseImagePullSecret(), ready.finalImagePushSecret(),
                    ready.finalImage().withTag(name + "-" + arch), ready.builderType(), ready.baseImage()) : ready;
            parts.add(new Part(arch, new LayeredBuild(several ? BuildObjectNames.forMachineOSBuild(name, arch)
                    : BuildObjectNames.forMachineOSBuild(name), config.getSpec().getMachineConfigPool().getName(),
                    build.getSpec().getMachineConfig().getName(), inputs, OsBuildLabels.of(config.getMetadata().getName(), name),
                    List.of(owner), Optional.of(arch))));
        }
        return new ArchBuilds(parts, ready);
    }

    /** The names of every object the build may have made, for its cleanup: the plain ones and each architecture's. */
    static List<BuildObjectNames> names(MachineOSBuild build) {
        String name = build.getMetadata().getName();
        List<BuildObjectNames> names = new ArrayList<>(List.of(BuildObjectNames.forMachineOSBuild(name)));
        Architectures.parse(build.getMetadata().getAnnotations()).forEach(arch -> names.add(BuildObjectNames.forMachineOSBuild(name, arch)));
        return names;
    }

    List<Part> each() {
        return parts;
    }

    boolean several() {
        return parts.size() > 1;
    }

    /** The build's inputs, with the final pullspec the index (or the one image) goes to. */
    BuildInputs inputs() {
        return inputs;
    }

    /** {@code message}, naming the architecture it is about when there are several. */
    String named(Part part, String message) {
        return several() ? "architecture " + part.architecture() + ": " + message : message;
    }

    /** Each architecture's state in a few words: {@code amd64 Succeeded, arm64 Building}. */
    static String summary(Map<String, BuildProgress> progress) {
        return progress.entrySet().stream().map(e -> e.getKey() + " " + state(e.getValue())).collect(Collectors.joining(", "));
    }

    /** The per-architecture status: architecture, Job, state, and the pushed digest or what went wrong. */
    static List<Map<String, Object>> status(ArchBuilds parts, Map<String, BuildProgress> progress) {
        List<Map<String, Object>> status = new ArrayList<>();
        for (Part part : parts.each()) {
            BuildProgress each = progress.get(part.architecture());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("architecture", part.architecture());
            entry.put("job", part.build().names().builder());
            entry.put("state", state(each));
            switch (each) {
                case BuildProgress.Succeeded(String digest) -> entry.put("digest", digest);
                case BuildProgress.Failed(String reason, String message) -> entry.put("message", reason + ": " + message);
                case BuildProgress.Interrupted(String message) -> entry.put("message", message);
                default -> { }
            }
            status.add(entry);
        }
        return status;
    }

    private static String state(BuildProgress progress) {
        return switch (progress) {
            case BuildProgress.Absent absent -> "Absent";
            case BuildProgress.Pending pending -> "Pending";
            case BuildProgress.Running running -> "Building";
            case BuildProgress.Succeeded succeeded -> "Succeeded";
            case BuildProgress.Failed failed -> "Failed";
            case BuildProgress.Interrupted interrupted -> "Interrupted";
        };
    }
}
