package io.strata.core.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.LogLine;
import io.strata.core.build.StepTiming;
import io.strata.core.request.BuildRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Build records and logs. Embedded (SQLite under $STRATA_HOME) by default, PostgreSQL for a fleet; the
 * same contract tests run against both. Implementations are safe for concurrent use from many
 * virtual threads. Every method that takes a {@link BuildId} throws {@link StoreException} with
 * reason {@code BUILD_NOT_FOUND} when there is no such build.
 */
public interface BuildStore extends AutoCloseable {

    /** Stores a new build in state NEW. The config snapshot must already be free of secrets. */
    BuildRecord create(BuildRequest request, Map<String, String> configSnapshot, String planJson) throws StoreException;

    /**
     * The same, under an id the caller picked already ({@link BuildId#next}): a submission that
     * named its build before it failed stores the failure under the name it gave out.
     */
    BuildRecord create(BuildId id, BuildRequest request, Map<String, String> configSnapshot, String planJson)
            throws StoreException;

    /**
     * Stores a new worker build of the multi-platform build {@code parent}, for {@code platform},
     * in state NEW. Listings leave worker builds out; the parent's record lists them as its
     * {@link BuildRecord#workers()} and each names its parent.
     */
    BuildRecord createWorker(BuildId parent, String platform, BuildRequest request, Map<String, String> configSnapshot,
            String planJson) throws StoreException;

    /**
     * Moves the build to {@code next}, recording when. Refuses moves {@link BuildState#canMoveTo}
     * does not allow, with reason {@code ILLEGAL_TRANSITION}; a FAILED move must carry a failure.
     */
    void transition(BuildId id, BuildState next, Optional<Failure> failure) throws StoreException;

    void recordStep(BuildId id, StepTiming timing) throws StoreException;

    void recordCommit(BuildId id, String commitId) throws StoreException;

    /** Records the image a build pushed for a platform; a second call for the same platform replaces the first. */
    void recordOutput(BuildId id, ImageOutput output) throws StoreException;

    void recordKojiMetadata(BuildId id, String metadataJson) throws StoreException;

    /** Appends lines; their sequence numbers must continue the build's log (1, 2, ...). */
    void appendLog(BuildId id, List<LogLine> lines) throws StoreException;

    /**
     * How many writes this process has committed to the store so far: taken before a follower reads,
     * then given to {@link #awaitWriteAfter}. A store that cannot tell answers 0.
     */
    default long writesSoFar() {
        return 0;
    }

    /**
     * Waits until this process has committed a write after the {@code seen}th ({@link #writesSoFar}),
     * or {@code longest} has passed: a follower then reads again at once instead of at its next poll.
     * Writes of other processes sharing the store are not seen; followers still poll for them. A store
     * that cannot tell waits {@code longest}.
     */
    default void awaitWriteAfter(long seen, java.time.Duration longest) throws InterruptedException {
        Thread.sleep(longest);
    }

    /**
     * Log lines and step timings of one build written together: one transaction where the store
     * can (a build's burst of events costs one commit, not one per step). By default one call each.
     */
    default void record(BuildId id, List<LogLine> lines, List<StepTiming> steps) throws StoreException {
        appendLog(id, lines);
        for (StepTiming step : steps) {
            recordStep(id, step);
        }
    }

    /** Log lines with a sequence above {@code afterSequence}, in order, at most {@code limit}. */
    List<LogLine> logs(BuildId id, long afterSequence, int limit) throws StoreException;

    Optional<BuildRecord> find(BuildId id) throws StoreException;

    /**
     * How many state changes build {@code id} has had (0 for no such build): a follower of its states asks this
     * after each write instead of reading the whole record. A store that cannot count cheaper reads the record.
     */
    default int transitionCount(BuildId id) throws StoreException {
        return find(id).map(record -> record.transitions().size()).orElse(0);
    }

    /**
     * Every worker build of {@code parent} for {@code platform}, newest first: the record lists only
     * the newest, but a worker re-attached under a newer record still carries the id of the record
     * that started it, so a second restart must look further back.
     */
    List<BuildId> workerAttempts(BuildId parent, String platform) throws StoreException;

    /** Newest first; builds without a parent only (worker builds show in their parent's record). */
    List<BuildSummary> list(BuildQuery query) throws StoreException;

    /**
     * Reserves and returns the next free release number for component + version (1 when none):
     * one more than the highest reserved so far. Two concurrent callers never get the same number.
     */
    int reserveNextRelease(String component, String version) throws StoreException;

    /** Records an explicit release so that later computed ones skip it; false when already taken. */
    boolean reserveRelease(String component, String version, String release) throws StoreException;

    // ---- leases: who runs a build, and whether that process is still there (docs/store.md, Leases)

    /**
     * Gives a NEW or RUNNING build to {@code owner}, whose workspace is {@code workspace}; taken
     * before the move to RUNNING so that no build runs without one. Taking it again as the same
     * owner refreshes it.
     */
    void takeLease(BuildId id, LeaseOwner owner, String workspace) throws StoreException;

    /**
     * The owner says it is alive and which process group its builder runs in now. Returns whether
     * someone asked the build to stop ({@link #requestCancel}). Reason {@code LEASE_LOST} when the
     * build has no lease of this owner any more: it was reconciled as orphaned by another process.
     */
    boolean heartbeat(BuildId id, LeaseOwner owner, java.util.OptionalLong processGroup) throws StoreException;

    /**
     * Asks the process running the build to cancel it; it sees the request at its next heartbeat.
     * False when the build is not running under a lease (it finished, or never started).
     */
    boolean requestCancel(BuildId id) throws StoreException;

    /** Every lease held now. */
    List<BuildLease> leases() throws StoreException;

    /**
     * Ends a build whose owner is gone: if the build still has a lease of {@code ownerId}, the
     * lease is dropped and the build moves to FAILED with {@code failure}, in one transaction. A
     * build from the queue with attempts left goes back to PENDING instead (it resumes; the failure
     * goes into its log). False when another process got there first or the owner finished after all.
     */
    boolean endOrphaned(BuildId id, String ownerId, Failure failure) throws StoreException;

    // ---- the queue (docs/store.md, The queue)

    /** Moves a NEW build to PENDING and puts it in the queue, in one transaction. */
    void enqueue(BuildId id, QueueEntry entry) throws StoreException;

    /**
     * Stores a new build and queues it at once: what {@link #create} then {@link #enqueue} do, in
     * one transaction (one commit instead of two, and no moment where the build is NEW). The caller
     * picks the id ({@link BuildId#next}) so it can keep the build's credentials under it first.
     * The record answered is the one stored (state PENDING), without reading it back.
     *
     * <p>Admission: when {@code maxPending} builds wait PENDING already (all engines), nothing is
     * stored and the call fails with reason {@code QUEUE_FULL}. The count and the insert are one
     * atomic step, also across processes sharing the store (a fleet on PostgreSQL), so the bound
     * is never passed; {@link Integer#MAX_VALUE} for no bound.
     */
    BuildRecord createQueued(BuildId id, BuildRequest request, Map<String, String> configSnapshot, String planJson,
            QueueEntry entry, int maxPending) throws StoreException;

    /** Every build in the queue (PENDING or RUNNING): highest priority first, then oldest. */
    List<QueuedBuild> queue() throws StoreException;

    /**
     * The PENDING builds of {@code engine} due at {@code now}, in queue order, at most {@code limit}:
     * what a scheduler may try to claim. A scheduler looks at every wake (each build that ends), so
     * reading the whole queue there costs in proportion to its length per build.
     */
    default List<QueuedBuild> due(String engine, java.time.Instant now, int limit) throws StoreException {
        return queue().stream().filter(q -> q.entry().engine().equals(engine) && q.isDue(now)).limit(limit).toList();
    }

    /**
     * Claims a queued build for {@code owner} if it is PENDING, due, and running it keeps within
     * {@code limits}: takes its lease, moves it to RUNNING and hands out the next fencing token, in
     * one transaction, so of several schedulers exactly one gets it. Empty otherwise.
     */
    Optional<QueueClaim> claim(BuildId id, LeaseOwner owner, String workspace, ConcurrencyLimits limits)
            throws StoreException;

    /**
     * Ends a claimed build (COMPLETE, FAILED or CANCELLED) and takes it out of the queue, if
     * {@code fencingToken} is still its current one. False when it is not (its lease was lost and
     * the build reconciled, or claimed again): what happened since stands.
     */
    boolean finishClaim(BuildId id, long fencingToken, BuildState state, Optional<Failure> failure) throws StoreException;

    /**
     * Puts a claimed build back (RUNNING to PENDING, lease dropped) to be tried again not before
     * {@code notBefore}, if {@code fencingToken} is still current; {@code why} goes into its log.
     */
    boolean requeue(BuildId id, long fencingToken, java.time.Instant notBefore, String why) throws StoreException;

    /** Cancels a PENDING build at once (it never ran, or waits for its next attempt). False when not PENDING. */
    boolean cancelPending(BuildId id) throws StoreException;

    /**
     * The release of build {@code id}: the one reserved for it before (a retried build keeps its
     * release), else the next free one, reserved for it. Numbers are never burnt or reused.
     */
    int reserveReleaseFor(BuildId id, String component, String version) throws StoreException;

    /** Reserves an explicit release for build {@code id}; true when free or already this build's. */
    boolean reserveReleaseFor(BuildId id, String component, String version, String release) throws StoreException;

    @Override
    void close() throws StoreException;
}
