package io.strata.local.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Sorts database errors by what the store does about them: give up, report unavailable, or retry. */
final class SqlErrors {
    /**
     * Another transaction got there first; running again sees its result. PostgreSQL: 23505 unique
     * violation, 40001 serialization failure, 40P01 deadlock.
     */
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "40001", "40P01");
    /** SQLite result codes (primary, the low byte): 5 SQLITE_BUSY (the write lock stayed taken), 19 SQLITE_CONSTRAINT. */
    private static final Set<Integer> SQLITE_CONFLICT_CODES = Set.of(5, 19);
    /** SQLite's driver puts no SQL state on its errors, only the result code; 14 is SQLITE_CANTOPEN. */
    private static final int SQLITE_CANTOPEN = 14;

    private SqlErrors() {}

    /** SQL state class 08 is "connection exception" in the SQL standard; drivers agree on it. */
    static boolean isConnectionFailure(SQLException e) {
        return e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"))
                || (isSqlite(e) && (e.getErrorCode() & 0xff) == SQLITE_CANTOPEN);
    }

    static boolean isConflict(SQLException e) {
        if (isSqlite(e)) {
            return SQLITE_CONFLICT_CODES.contains(e.getErrorCode() & 0xff);
        }
        return e.getSQLState() != null && CONFLICT_STATES.contains(e.getSQLState());
    }

    private static boolean isSqlite(SQLException e) {
        return e instanceof org.sqlite.SQLiteException;
    }
}
