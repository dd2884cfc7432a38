package io.strata.cli.remote;

import io.strata.cli.build.LocalBuilds;
import io.strata.core.StrataException;
import io.strata.cli.build.BuildEnding;
import io.strata.core.build.BuildId;
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
        BuildId submitted = service.submitForId(submission);
        if (noWait) {
            out.println(submitted);
            out.flush();
            return 0;
        }
        err.println("build " + submitted + " submitted to " + service.base());
        err.flush();
        AtomicReference<StrataException> logFailure = new AtomicReference<>();
        Thread logs = follow ? Thread.ofVirtual().start(() -> {
            try {
                service.streamLogs(submitted, 0, (id, line) -> {
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
            String done = service.followStatesToJson(submitted, (id, index, transition) -> {
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
            BuildEnding ending;
            try {
                ending = BuildEnding.ofServiceJson(done);
            } catch (IllegalArgumentException e) {
                throw new StrataException(RemoteReasons.SERVER_ERROR, "the server at " + service.base() + " answered the record of build "
                        + submitted + " in a form this Strata cannot read (" + e.getMessage() + ")",
                        "use the same Strata version on both sides; `strata get-build " + submitted + "` shows the build");
            }
            return LocalBuilds.report(ending, json, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("BUILD_WATCH_INTERRUPTED", "stopped watching build " + submitted
                    + "; it goes on in the build service", "follow it again with `strata watch-build " + submitted
                    + "`, or cancel it with `strata cancel-build " + submitted + "`");
        }
    }
}
