package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.build.BuildState;
import io.strata.core.build.ImageOutput;
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

    /**
     * An earlier completed build with the same content key, as build avoidance needs it: its image for
     * one platform, and the build that built those layers ({@code build} itself, or the build it was
     * reused or took its layers from).
     */
    public record Candidate(BuildId build, ImageOutput image, BuildId layersFrom) {}

    /**
     * Completed builds with this content key that pushed an image for {@code platform}, newest first (at
     * most {@link #CANDIDATES}), in one query; a build has one image per platform ({@link JdbcBuildStore#recordOutput}
     * replaces it). Only the columns avoidance reads: a whole record (request, configuration, plan, states, steps)
     * cost a reused build 25-30 ms of Jackson in a fresh JVM.
     */
    public List<Candidate> completedWithKey(String contentKey, String platform) throws StoreException {
        return store.readOnly("find builds with content key " + contentKey, connection -> Sql.list(connection,
                "SELECT b.id, b.reused_from, b.config_only_from, o.output_json FROM builds b"
                        + " JOIN build_outputs o ON o.build_id = b.id AND o.platform = ?"
                        + " WHERE b.content_key = ? AND b.state = ? ORDER BY b.created_at DESC, b.id DESC LIMIT " + CANDIDATES,
                row -> {
                    BuildId id = new BuildId(row.getString("id"));
                    String reusedFrom = row.getString("reused_from");
                    String configOnlyFrom = row.getString("config_only_from");
                    String origin = reusedFrom != null ? reusedFrom : configOnlyFrom != null ? configOnlyFrom : id.value();
                    return new Candidate(id, store.json().output(id, row.getString("output_json")), new BuildId(origin));
                },
                platform, contentKey, BuildState.COMPLETE.name()));
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
