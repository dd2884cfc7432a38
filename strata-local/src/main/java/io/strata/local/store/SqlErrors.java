package io.strata.local.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Sorts database errors by what the store does about them: give up, report unavailable, or retry. */
final class SqlErrors {
    /**
     * Another transaction got there first; running again sees its result. 23505 unique violation
     * (both), 40001 serialization failure and 40P01 deadlock (PostgreSQL), HYT00 lock timeout (H2).
     */
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "40001", "40P01", "HYT00");

    private SqlErrors() {}

    /** SQL state class 08 is "connection exception" in the SQL standard; drivers agree on it. */
    static boolean isConnectionFailure(SQLException e) {
        return e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    static boolean isConflict(SQLException e) {
        return e.getSQLState() != null && CONFLICT_STATES.contains(e.getSQLState());
    }
}
