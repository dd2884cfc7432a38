package io.strata.core.service;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.LogLine;
import java.util.List;

/**
 * The application service every front end calls: the CLI (locally or through a server), the REST
 * API and, later, the cluster controller. It owns the build's life in the store (submit into the
 * queue, list, get, follow, cancel); engines run the builds. Every call names its {@link Caller}: a
 * user sees and cancels only their own builds unless an admin.
 *
 * <p>Failures are {@link StrataException}s with a stable reason: {@link ServiceException} for the
 * reasons of {@link ServiceReasons}, {@code io.strata.core.request.InvalidBuildRequestException}
 * for a request that does not validate (nothing is stored then), a {@code StoreException} when the
 * store fails. Front ends map the reason to their status (REST: 404, 403, 409, 400, ...).
 */
public interface BuildService {

    /**
     * Validates the request, renders its plan, stores it and puts it in the queue (state PENDING)
     * for its engine. A credential written into a URL of the request is moved into the service's
     * secret store and never written into the record. The build's user is the caller's (an admin
     * may submit for the user named in the request).
     *
     * @return the stored record, in state PENDING
     */
    BuildRecord submit(BuildSubmission submission, Caller caller) throws StrataException;

    /** Builds matching the query that the caller may see, newest first, one page at a time. */
    BuildPage list(BuildListQuery query, Caller caller) throws StrataException;

    /** Reasons {@code BUILD_NOT_FOUND}, {@code NOT_YOUR_BUILD}. */
    BuildRecord get(BuildId id, Caller caller) throws StrataException;

    /** Log lines after {@code afterSequence} (0 = from the start), at most {@code limit}, without waiting. */
    List<LogLine> logs(BuildId id, long afterSequence, int limit, Caller caller) throws StrataException;

    /**
     * Hands every state the build enters to {@code sink}, starting after the first
     * {@code afterTransitions} of its history (0 = from NEW), as they happen, until the build is
     * finished or the sink answers false. Blocks the calling thread (run it on a virtual thread).
     *
     * @return the record as last seen (finished, unless the sink stopped early)
     */
    BuildRecord followStates(BuildId id, int afterTransitions, Caller caller, StateSink sink)
            throws StrataException, InterruptedException;

    /**
     * Hands every log line with a sequence above {@code afterSequence} to {@code sink} as it is
     * written, until the build is finished and its whole log delivered or the sink answers false.
     * Resumable: pass the last sequence a client saw. Blocks the calling thread.
     *
     * @return the record as last seen
     */
    BuildRecord followLogs(BuildId id, long afterSequence, Caller caller, LogSink sink)
            throws StrataException, InterruptedException;

    /**
     * Cancels a build: a PENDING (queued) one ends CANCELLED at once; a RUNNING one is asked to stop
     * and its engine stops the worker (it ends CANCELLED within seconds). Reasons
     * {@code BUILD_NOT_FOUND}, {@code NOT_YOUR_BUILD}, {@code BUILD_NOT_RUNNING} (already finished).
     *
     * @return the record right after the cancel was recorded or requested
     */
    BuildRecord cancel(BuildId id, Caller caller) throws StrataException;
}
