package io.strata.local.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One API token of the build service as the store keeps it: never the token itself, only its
 * public id, whose it is and when it stops working.
 *
 * @param id        the handle `strata tokens list` shows and `strata tokens revoke` takes
 * @param user      the user every request with this token acts as
 * @param admin     whether the token sees and cancels everyone's builds
 * @param expiresAt empty: the token does not expire
 * @param revokedAt set once revoked; a revoked token authenticates nothing
 */
public record ApiToken(String id, String user, boolean admin, Instant createdAt, Optional<Instant> expiresAt,
        Optional<Instant> revokedAt) {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean expiredAt(Instant now) {
        return expiresAt.map(end -> !now.isBefore(end)).orElse(false);
    }
}
