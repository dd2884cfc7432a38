package io.strata.testkit.kube;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link TestKubelet} does for a container of a given image. An image it has no entry for
 * cannot be pulled: the pod stays Pending with {@code ErrImagePull}, as with a real kubelet.
 */
public sealed interface KubeletImage {

    /**
     * The container runs as a local process. Its argv is the container's {@code command} and
     * {@code args} or, like a runtime, the image's {@code entrypoint} and {@code cmd} where the
     * container gives none; the first word is then looked up in {@code executables} (by the word
     * itself, then by its last path element), so {@code strata} in the image runs the local launcher.
     * A word not listed there ends the container with {@code StartError} (exit code 128).
     */
    record Local(List<String> entrypoint, List<String> cmd, Map<String, Path> executables) implements KubeletImage {
        public Local {
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            executables = Map.copyOf(executables);
        }

        Optional<Path> executable(String word) {
            Path direct = executables.get(word);
            if (direct != null) {
                return Optional.of(direct);
            }
            int slash = word.lastIndexOf('/');
            return Optional.ofNullable(executables.get(word.substring(slash + 1)));
        }

        List<String> argv(List<String> command, List<String> args) {
            List<String> head = command.isEmpty() ? entrypoint : command;
            List<String> tail = command.isEmpty() && args.isEmpty() ? cmd : args;
            return java.util.stream.Stream.concat(head.stream(), tail.stream()).toList();
        }
    }

    /**
     * The container starts and is killed at once for exceeding its memory limit: terminated with
     * exit code 137 and reason {@code OOMKilled}, the pod Failed. (Nothing here measures memory; a
     * test picks this image to see how its code takes an OOM kill.)
     */
    record OomKilled() implements KubeletImage {}

    /** Runs {@code executables} by name, for containers that give their own command. */
    static Local commands(Map<String, Path> executables) {
        return new Local(List.of(), List.of(), executables);
    }
}
