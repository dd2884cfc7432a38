package io.strata.local.store;

import io.strata.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Release labels per component and version. Race-free without table locks: a reservation is an
 * insert under the table's primary key, so of two builds computing the same next number only one
 * commits; the other sees a conflict, reads the new highest number and tries again.
 */
final class ReleaseReservations {
    /** Computed releases are plain positive integers; only labels of that form count towards the next one. */
    private static final Pattern NUMBER = Pattern.compile("[1-9]\\d{0,8}");
    /** Each conflict means another caller succeeded, so this bounds waiting behind that many concurrent builds. */
    private static final int MAX_ATTEMPTS = 100;

    private final Transactions transactions;
    private final Clock clock;

    ReleaseReservations(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    int reserveNext(String component, String version) throws SQLException, StoreException {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(version, "version");
        return retryingConflicts(connection -> {
            int next = highestNumber(connection, component, version) + 1;
            insert(connection, component, version, Integer.toString(next), null);
            return next;
        });
    }

    /** The release reserved for the build before, else the next free one, reserved for it. */
    int reserveNextFor(io.strata.core.build.BuildId build, String component, String version)
            throws SQLException, StoreException {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(version, "version");
        return retryingConflicts(connection -> {
            Optional<Integer> earlier = Sql.first(connection, "SELECT release_number FROM release_reservations"
                            + " WHERE build_id = ? AND component = ? AND version = ? AND release_number IS NOT NULL",
                    row -> row.getInt(1), build.value(), component, version);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            int next = highestNumber(connection, component, version) + 1;
            insert(connection, component, version, Integer.toString(next), build.value());
            return next;
        });
    }

    /** True when the label is free (now reserved for the build) or was reserved for this build before. */
    boolean reserveFor(io.strata.core.build.BuildId build, String component, String version, String release)
            throws SQLException, StoreException {
        Objects.requireNonNull(build, "build");
        return retryingConflicts(connection -> {
            Optional<String> holder = Sql.first(connection, "SELECT build_id FROM release_reservations"
                            + " WHERE component = ? AND version = ? AND release_label = ?",
                    row -> Objects.requireNonNullElse(row.getString(1), ""), component, version, release);
            if (holder.isPresent()) {
                return holder.get().equals(build.value());
            }
            insert(connection, component, version, release, build.value());
            return true;
        });
    }

    boolean reserve(String component, String version, String release) throws SQLException, StoreException {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(release, "release");
        return retryingConflicts(connection -> {
            if (isTaken(connection, component, version, release)) {
                return false;
            }
            insert(connection, component, version, release, null);
            return true;
        });
    }

    /**
     * Runs {@code work} in a transaction until no concurrent caller gets in its way. After a
     * conflict the next attempt sees what the other caller committed (a taken label, a higher
     * number); after a lock timeout it simply tries again.
     */
    private <T> T retryingConflicts(Transactions.Work<T> work) throws SQLException, StoreException {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.inTransaction(work);
            } catch (SQLException e) {
                if (!SqlErrors.isConflict(e) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static int highestNumber(Connection connection, String component, String version)
            throws SQLException, StoreException {
        return Sql.first(connection,
                "SELECT COALESCE(MAX(release_number), 0) FROM release_reservations WHERE component = ? AND version = ?",
                row -> row.getInt(1), component, version).orElseThrow();
    }

    private static boolean isTaken(Connection connection, String component, String version, String release)
            throws SQLException, StoreException {
        return Sql.first(connection,
                "SELECT 1 FROM release_reservations WHERE component = ? AND version = ? AND release_label = ?",
                row -> true, component, version, release).isPresent();
    }

    private void insert(Connection connection, String component, String version, String release, String build)
            throws SQLException {
        Sql.update(connection, "INSERT INTO release_reservations (component, version, release_label, release_number,"
                        + " reserved_at, build_id) VALUES (?, ?, ?, ?, ?, ?)",
                component, version, release, asNumber(release).orElse(null), clock.instant(), build);
    }

    static Optional<Integer> asNumber(String release) {
        return NUMBER.matcher(release).matches() ? Optional.of(Integer.parseInt(release)) : Optional.empty();
    }
}
