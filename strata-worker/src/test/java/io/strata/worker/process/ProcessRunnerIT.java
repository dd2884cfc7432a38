package io.strata.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerIT {
    private final ProcessRunner runner = new ProcessRunner(Duration.ofMillis(500), 3);

    @Test
    void deliversEachLineWhileTheProcessIsStillRunning(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        List<String> lines = new ArrayList<>();
        // The script waits for a file that only the consumer creates, on seeing the first line:
        // the run can only finish if that line was delivered before the process ended.
        ProcessCommand command = ProcessCommand.of("sh", "-c",
                "echo first; while [ ! -e '" + go + "' ]; do sleep 0.05; done; echo second");

        ProcessResult result = runner.run(command, line -> {
            lines.add(line);
            if (line.equals("first")) {
                touch(go);
            }
        });

        assertThat(result.exitCode()).isZero();
        assertThat(lines).containsExactly("first", "second");
    }

    @Test
    void reportsExitCodeAndOnlyTheLastLines() throws Exception {
        ProcessResult result = runner.run(
                ProcessCommand.of("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; exit 7"), line -> { });

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.tail()).containsExactly("line 3", "line 4", "line 5");
    }

    @Test
    void separatesStandardOutputFromStandardError() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();

        runner.run(ProcessCommand.of("sh", "-c", "echo to-out; echo to-err >&2"), out::add, err::add);

        assertThat(out).containsExactly("to-out");
        assertThat(err).containsExactly("to-err");
    }

    @Test
    void masksSecretsInEveryDeliveredLineAndInTheTail() throws Exception {
        List<String> lines = new ArrayList<>();
        ProcessCommand command = ProcessCommand.of("sh", "-c", "echo user:$PASSWORD; echo $PASSWORD >&2")
                .withEnvironment(Map.of("PASSWORD", "hunter2"))
                .masking(SecretMasker.of(Set.of("hunter2")));

        ProcessResult result = runner.run(command, lines::add);

        assertThat(lines).containsExactlyInAnyOrder("user:****", "****");
        assertThat(result.tailText()).doesNotContain("hunter2");
        assertThat(command.describe()).isEqualTo("[PASSWORD] sh -c echo user:$PASSWORD; echo $PASSWORD >&2");
    }

    @Test
    void runsInTheGivenWorkingDirectory(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();

        runner.run(ProcessCommand.of("pwd").inDirectory(dir), lines::add);

        assertThat(lines).containsExactly(dir.toRealPath().toString());
    }

    @Test
    void missingProgramIsAnIOExceptionNamingOnlyTheProgram() {
        ProcessCommand command = ProcessCommand.of("strata-no-such-program", "--password", "hunter2");

        assertThatThrownBy(() -> runner.run(command, line -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot run strata-no-such-program: ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void interruptEndsTheProcessAndItsChildren() throws Exception {
        CompletableFuture<Long> childPid = new CompletableFuture<>();
        ProcessCommand command = ProcessCommand.of("sh", "-c", "sleep 600 & echo child $!; wait");

        Outcome outcome = runCancelled(command, childPid);

        assertThat(outcome.failure()).isInstanceOf(InterruptedException.class);
        assertThat(isRunning(childPid.get())).isFalse();
        assertThat(isRunning(outcome.shellPid())).isFalse();
    }

    @Test
    void processThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
        CompletableFuture<Long> childPid = new CompletableFuture<>();
        ProcessCommand command = ProcessCommand.of("sh", "-c",
                "trap '' TERM; sleep 600 & echo child $!; while :; do wait; done");

        Outcome outcome = runCancelled(command, childPid);

        assertThat(outcome.failure()).isInstanceOf(InterruptedException.class);
        assertThat(isRunning(outcome.shellPid())).isFalse();
        assertThat(isRunning(childPid.get())).isFalse();
    }

    /**
     * Each child leads a process group of its own, which the observer hears about while it runs;
     * once the runner's child is gone, ending that group still ends what it left behind.
     */
    @Test
    void aChildRunsInAGroupOfItsOwnThatCanBeEndedAfterItsParentIsGone() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ProcessRunner observed = new ProcessRunner(Duration.ofMillis(500), 3, new ProcessGroupObserver() {
            @Override
            public void started(long processGroup) {
                events.add("started " + processGroup);
            }

            @Override
            public void ended(long processGroup) {
                events.add("ended " + processGroup);
            }
        });
        List<String> lines = new CopyOnWriteArrayList<>();

        // The shell leaves a sleep behind (a build's RUN step after its buildah died) and exits.
        ProcessResult result = observed.run(ProcessCommand.of("sh", "-c",
                "sleep 600 </dev/null >/dev/null 2>&1 & echo $$ $!"), lines::add);

        assertThat(result.exitCode()).isZero();
        String[] pids = lines.getFirst().split(" ");
        long shell = Long.parseLong(pids[0]);
        long orphan = Long.parseLong(pids[1]);
        assertThat(events).containsExactly("started " + shell, "ended " + shell);
        assertThat(ProcessGroups.groupOf(orphan)).contains(shell);
        assertThat(ProcessGroups.groupOf(ProcessHandle.current().pid())).isNotEqualTo(Optional.of(shell));
        assertThat(isRunning(orphan)).isTrue();

        assertThat(ProcessGroups.terminate(shell, Duration.ofSeconds(5))).isEqualTo(1);

        assertThat(isRunning(orphan)).isFalse();
        assertThat(ProcessGroups.members(shell)).isEmpty();
    }

    private record Outcome(Throwable failure, long shellPid) {}

    /** Runs the command on its own thread and interrupts that thread once the script names its child. */
    private Outcome runCancelled(ProcessCommand command, CompletableFuture<Long> childPid) throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                runner.run(command, line -> childPid.complete(Long.parseLong(line.substring("child ".length()))));
                failure.complete(null);
            } catch (Exception e) {
                failure.complete(e);
            }
        });
        long child = childPid.get();
        long shell = ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElseThrow();
        worker.interrupt();
        worker.join();
        return new Outcome(failure.get(), shell);
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
