package io.strata.cli.build;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.LogLine;
import io.strata.core.store.BuildSummary;
import java.util.List;
import java.util.Optional;

/**
 * Where the build verbs read and cancel builds: this machine's store ({@link StoreBuildSource}) or
 * a build service ({@code io.strata.cli.remote.RemoteBuildSource}, with {@code --server}). The verbs
 * print what they get the same way from either, so the output, {@code --json} and exit codes do not
 * depend on where the build lives.
 */
public interface BuildSource extends AutoCloseable {

    /** The build with the id a user typed; reasons BUILD_ID_INVALID, BUILD_NOT_FOUND (and NOT_YOUR_BUILD remotely). */
    BuildRecord find(String id) throws StrataException;

    /** Newest first, at most {@code limit}. */
    List<BuildSummary> list(Optional<String> component, Optional<BuildState> state, int limit) throws StrataException;

    /** Log lines after {@code afterSequence}, at most {@code limit}, without waiting. */
    List<LogLine> logs(BuildId id, long afterSequence, int limit) throws StrataException;

    /** Asks for the build to be cancelled; reason BUILD_NOT_RUNNING when it has finished. */
    BuildRecord cancel(String id) throws StrataException;

    /** Called every few seconds by a verb that waits: the local store ends builds whose process died. */
    void whileWaiting() throws StrataException;

    @Override
    void close() throws StrataException;
}
