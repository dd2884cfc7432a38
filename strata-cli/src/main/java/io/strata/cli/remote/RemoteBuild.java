package io.strata.cli.remote;

import io.strata.cli.build.LocalBuilds;
import io.strata.core.StrataException;
import io.strata.core.build.BuildRecord;
import io.strata.core.service.BuildSubmission;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code strata build --server URL}: submits the request to the build service, then (unless
 * {@code --no-wait}, which prints the id and returns) follows its states over Server-Sent Events
 * (and with {@code --follow} its log lines too) and ends as a local build does: the pullspec or the
 * record on stdout, the failure on stderr, the build's exit code. Ctrl-C stops watching, not the
 * build: `strata cancel-build` cancels it.
 */
public final class RemoteBuild {
    private RemoteBuild() {}

    public static int run(RemoteBuildService service, BuildSubmission submission, boolean noWait, boolean follow,
            boolean json, PrintWriter out, PrintWriter err) throws StrataException {
        BuildRecord submitted = service.submit(submission, null);
        if (noWait) {
            out.println(submitted.id());
            out.flush();
            return 0;
        }
        err.println("build " + submitted.id() + " submitted to " + service.base());
        err.flush();
        AtomicReference<StrataException> logFailure = new AtomicReference<>();
        Thread logs = follow ? Thread.ofVirtual().start(() -> {
            try {
                service.followLogs(submitted.id(), 0, null, (id, line) -> {
                    synchronized (err) {
                        err.println("  " + line.text());
                        err.flush();
                    }
                    return true;
                });
            } catch (StrataException e) {
                logFailure.set(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }) : null;
        try {
            BuildRecord done = service.followStates(submitted.id(), 0, null, (id, index, transition) -> {
                synchronized (err) {
                    err.println("build " + id + ": " + transition.state());
                    err.flush();
                }
                return true;
            });
            if (logs != null) {
                logs.join();
            }
            if (logFailure.get() != null) {
                throw logFailure.get();
            }
            return LocalBuilds.report(done, json, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("BUILD_WATCH_INTERRUPTED", "stopped watching build " + submitted.id()
                    + "; it goes on in the build service", "follow it again with `strata watch-build " + submitted.id()
                    + "`, or cancel it with `strata cancel-build " + submitted.id() + "`");
        }
    }
}
