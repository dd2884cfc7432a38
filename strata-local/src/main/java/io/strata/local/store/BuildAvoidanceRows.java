package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.store.StoreException;
import java.util.List;

/**
 * The build-avoidance columns of the builds table (docs/builds.md, "Build avoidance"): the content
 * key of a completed build, where a reused or config-only build came from, and why an autorebuild
 * was submitted. Obtain one from {@link JdbcBuildStore#avoidance()}.
 */
public final class BuildAvoidanceRows {
    /** How many earlier builds with one key are looked at; the newest ones are the likeliest to be in the registry. */
    static final int CANDIDATES = 20;

    private final JdbcBuildStore store;

    BuildAvoidanceRows(JdbcBuildStore store) {
        this.store = store;
    }

    /** Records the content key of a build: set once it completed with exactly the inputs the key names. */
    public void recordKey(BuildId id, String contentKey) throws StoreException {
        update("record the content key of " + id, "UPDATE builds SET content_key = ? WHERE id = ?", contentKey, id.value());
    }

    /** The build re-tagged the image of {@code from} instead of building. */
    public void recordReusedFrom(BuildId id, BuildId from) throws StoreException {
        update("record where " + id + " was reused from", "UPDATE builds SET reused_from = ? WHERE id = ?", from.value(), id.value());
    }

    /** The build wrote a new config and manifest over the layers of {@code from}. */
    public void recordConfigOnlyFrom(BuildId id, BuildId from) throws StoreException {
        update("record where " + id + " took its layers from", "UPDATE builds SET config_only_from = ? WHERE id = ?",
                from.value(), id.value());
    }

    /** Why the autorebuild policy submitted the build (the parent digest change). */
    public void recordAutorebuildCause(BuildId id, String cause) throws StoreException {
        update("record the autorebuild cause of " + id, "UPDATE builds SET autorebuild_cause = ? WHERE id = ?", cause, id.value());
    }

    /** Completed builds with this content key, newest first (at most {@link #CANDIDATES}). */
    public List<BuildId> completedWithKey(String contentKey) throws StoreException {
        return store.readOnly("find builds with content key " + contentKey, connection -> Sql.list(connection,
                "SELECT id FROM builds WHERE content_key = ? AND state = ? ORDER BY created_at DESC, id DESC LIMIT " + CANDIDATES,
                row -> new BuildId(row.getString("id")), contentKey, BuildState.COMPLETE.name()));
    }

    /** Whether an autorebuild of the component waits in the queue or runs now (at most one may). */
    public boolean autorebuildUnderway(String component) throws StoreException {
        return store.readOnly("look for a queued autorebuild of " + component, connection -> Sql.first(connection,
                "SELECT 1 FROM builds WHERE component = ? AND autorebuild_cause IS NOT NULL AND state IN (?, ?, ?)",
                row -> true, component, BuildState.NEW.name(), BuildState.PENDING.name(), BuildState.RUNNING.name())
                .isPresent());
    }

    private void update(String what, String sql, Object... parameters) throws StoreException {
        store.write(what, connection -> Sql.update(connection, sql, parameters));
    }
}
