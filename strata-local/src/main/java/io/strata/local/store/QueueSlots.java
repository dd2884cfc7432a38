package io.strata.local.store;

import io.strata.core.build.BuildId;
import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code queue_slots} table (V6): a claim holds one slot of its engine and, when its platform
 * has a limit, one of its platform. Slots below the limit are taken with {@code FOR UPDATE SKIP
 * LOCKED} on PostgreSQL, so claimers in a fleet neither wait for each other nor take the same slot:
 * at most {@code limit} builds hold one at a time, without a lock over the whole queue. On SQLite
 * the writer's {@code BEGIN IMMEDIATE} serialises claims already. A slot is given back in the same
 * transaction that moves its build out of RUNNING.
 */
final class QueueSlots {
    static final String ENGINE = "engine";
    static final String PLATFORM = "platform";

    /**
     * Scopes whose slots below a limit were seen to exist ("scope/name/limit"): Strata never deletes
     * a slot, so a claim need not count them again. Forgotten when a claim finds no free slot, so
     * slots lost in a transaction that rolled back after all are made again by the next claim.
     */
    private final Set<String> present = ConcurrentHashMap.newKeySet();

    /** A free slot of this scope below {@code limit}, locked until the transaction ends; empty when all are held. */
    Optional<Integer> free(Connection connection, Database database, String scope, String name, int limit)
            throws SQLException, StoreException {
        String key = scope + "/" + name + "/" + limit;
        if (!present.contains(key)) {
            ensure(connection, scope, name, limit);
            present.add(key);
        }
        Optional<Integer> slot = Sql.first(connection, "SELECT slot FROM queue_slots WHERE scope = ? AND name = ? AND slot < ?"
                        + " AND build_id IS NULL ORDER BY slot LIMIT 1" + database.skipLockedClause(),
                row -> row.getInt(1), scope, name, limit);
        if (slot.isEmpty()) {
            present.remove(key);
        }
        return slot;
    }

    static void take(Connection connection, String scope, String name, int slot, BuildId id) throws SQLException {
        Sql.update(connection, "UPDATE queue_slots SET build_id = ? WHERE scope = ? AND name = ? AND slot = ?",
                id.value(), scope, name, slot);
    }

    /** Gives back whatever slots the build holds. */
    static void release(Connection connection, BuildId id) throws SQLException {
        Sql.update(connection, "UPDATE queue_slots SET build_id = NULL WHERE build_id = ?", id.value());
    }

    /**
     * Makes the slots 0 .. limit-1 of this scope exist. Two claimers may add the same slot at once:
     * the loser's insert does nothing ({@code ON CONFLICT DO NOTHING}, SQLite and PostgreSQL alike).
     */
    private static void ensure(Connection connection, String scope, String name, int limit)
            throws SQLException, StoreException {
        int existing = Sql.first(connection, "SELECT COUNT(*) FROM queue_slots WHERE scope = ? AND name = ? AND slot < ?",
                row -> row.getInt(1), scope, name, limit).orElseThrow();
        if (existing >= limit) {
            return;
        }
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int slot = 0; slot < limit; slot++) {
            rows.add(new Object[] {scope, name, slot});
        }
        Sql.batch(connection, "INSERT INTO queue_slots (scope, name, slot) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows);
    }
}
