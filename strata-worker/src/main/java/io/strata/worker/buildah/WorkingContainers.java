package io.strata.worker.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.worker.process.ProcessCommand;
import io.strata.worker.process.ProcessResult;
import io.strata.worker.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * buildah working containers left behind by a build whose process died. `buildah bud` marks the
 * containers of a build: its cgroup parent is {@link #mark} of the build id (ignored with chroot
 * isolation, so it changes nothing else), and buildah keeps it in the container's state file
 * ({@code <graph root>/<driver>-containers/<id>/userdata/buildah.json}, {@code CommonBuildOpts.CgroupParent}).
 * Nothing else buildah stores says which build made a container: the `buildah containers` listing
 * and `buildah inspect` do not show it.
 */
public final class WorkingContainers {
    private static final String MARK_PREFIX = "strata-build-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BuildahOptions options;
    private final ProcessRunner runner;

    public WorkingContainers(BuildahOptions options) {
        this(options, new ProcessRunner());
    }

    WorkingContainers(BuildahOptions options, ProcessRunner runner) {
        this.options = options;
        this.runner = runner;
    }

    /** The cgroup parent given to the working containers of build {@code buildId}. */
    public static String mark(String buildId) {
        return MARK_PREFIX + buildId;
    }

    /**
     * Removes every working container marked with the build id; returns how many. Containers of
     * other builds and of people are never touched.
     */
    public int removeOf(String buildId) throws BuildahException {
        Path containers = containersDirectory();
        int removed = 0;
        for (String id : buildahLines("containers", "--quiet", "--notruncate")) {
            if (isMarked(containers.resolve(id).resolve("userdata/buildah.json"), mark(buildId))) {
                buildahLines("rm", id);
                removed++;
            }
        }
        return removed;
    }

    private Path containersDirectory() throws BuildahException {
        List<String> info = buildahLines("info", "--format", "{{.store.GraphRoot}}\n{{.store.GraphDriverName}}");
        if (info.size() < 2) {
            throw new BuildahException(BuildahException.Failure.BUILD_FAILED, "buildah info named no storage: " + info,
                    "check buildah's storage configuration (buildah info)");
        }
        return Path.of(info.get(0)).resolve(info.get(1) + "-containers");
    }

    private static boolean isMarked(Path stateFile, String mark) {
        try {
            JsonNode state = JSON.readTree(Files.readString(stateFile));
            return mark.equals(state.path("CommonBuildOpts").path("CgroupParent").asText());
        } catch (IOException | RuntimeException unreadable) {
            return false; // not a buildah working container, or removed meanwhile
        }
    }

    private List<String> buildahLines(String... arguments) throws BuildahException {
        List<String> command = new ArrayList<>(List.of("buildah"));
        command.addAll(options.globalArguments());
        command.addAll(List.of(arguments));
        List<String> lines = new ArrayList<>();
        ProcessResult result;
        try {
            result = runner.run(ProcessCommand.of(command), lines::add, line -> { });
        } catch (IOException e) {
            throw new BuildahException(BuildahException.Failure.BUILDAH_MISSING, "cannot run buildah: " + e.getMessage(),
                    "install buildah (apt-get install buildah) and make sure it is on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildahException(BuildahException.Failure.CANCELLED, "interrupted: buildah " + arguments[0], "", e);
        }
        if (!result.succeeded()) {
            throw new BuildahException(BuildahException.Failure.BUILD_FAILED, "buildah " + arguments[0] + " failed (exit "
                    + result.exitCode() + "): " + result.tailText(), "check buildah's storage (buildah containers)");
        }
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
