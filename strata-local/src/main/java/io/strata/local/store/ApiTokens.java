package io.strata.local.store;

import io.strata.core.StrataException;
import io.strata.core.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API tokens of the build service, in the build store (table {@code api_tokens}, docs/service.md).
 * A token is 32 random bytes from {@link SecureRandom}; only its SHA-256 is stored, so a copy of the
 * database authenticates nobody, and a high-entropy secret needs no slow hash. Every process that
 * opens the store sees the same tokens, so {@code strata tokens create} works while {@code strata
 * serve} runs. Obtain one from {@link JdbcBuildStore#apiTokens()}.
 */
public final class ApiTokens {
    /** Every token starts so: a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "strata_";
    private static final Pattern SHAPE = Pattern.compile("strata_[A-Za-z0-9_-]{43}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,254}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome of checking a presented token. */
    public sealed interface Check {
        record Valid(ApiToken token) implements Check {}

        /** Not of the shape {@code strata_} + 43 base64url characters. */
        record Malformed() implements Check {}

        /** Of the right shape but not one the store knows, or revoked. */
        record Unknown() implements Check {}

        record Expired(ApiToken token) implements Check {}
    }

    /** A token just made: the secret (shown once, never stored) and its record. */
    public record Created(String secret, ApiToken token) {
        @Override
        public String toString() {
            return "Created[secret=****, token=" + token + "]";
        }
    }

    private final JdbcBuildStore store;
    private final Clock clock;

    ApiTokens(JdbcBuildStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Makes a token for {@code user}, valid for {@code lifetime} (empty: until revoked). */
    public Created create(String user, boolean admin, Optional<Duration> lifetime) throws StrataException {
        if (!USER.matcher(user).matches()) {
            throw new StrataException("USER_NAME_INVALID", "'" + user + "' is not a user name",
                    "letters, digits and . _ @ -, starting with a letter or digit, at most 255 characters");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        Instant now = Timestamps.stored(clock.instant());
        ApiToken token = new ApiToken("tok-" + HexFormat.of().formatHex(idBytes), user, admin, now,
                lifetime.map(now::plus).map(Timestamps::stored), Optional.empty());
        store.write("create an API token for " + user, connection -> Sql.update(connection,
                "INSERT INTO api_tokens (token_id, token_hash, user_name, admin, created_at, expires_at, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, NULL)",
                token.id(), hash(secret), user, admin ? 1 : 0, now, token.expiresAt().orElse(null)));
        return new Created(secret, token);
    }

    /** What the presented bearer token is worth. Never logs or keeps {@code presented}. */
    public Check check(String presented) throws StoreException {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return new Check.Malformed();
        }
        Optional<ApiToken> found = store.readOnly("check an API token", connection -> Sql.first(connection,
                "SELECT * FROM api_tokens WHERE token_hash = ?", ApiTokens::token, hash(presented)));
        if (found.isEmpty() || found.get().revokedAt().isPresent()) {
            return new Check.Unknown();
        }
        return found.get().expiredAt(clock.instant()) ? new Check.Expired(found.get()) : new Check.Valid(found.get());
    }

    /** Every token, revoked and expired ones included, oldest first. */
    public List<ApiToken> list() throws StoreException {
        return store.readOnly("list API tokens", connection -> Sql.list(connection,
                "SELECT * FROM api_tokens ORDER BY created_at, token_id", ApiTokens::token));
    }

    /** Revokes a token by its id; reason {@code TOKEN_NOT_FOUND} when there is none (revoking twice is fine). */
    public ApiToken revoke(String id) throws StrataException {
        Instant now = Timestamps.stored(clock.instant());
        store.write("revoke API token " + id, connection -> Sql.update(connection,
                "UPDATE api_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL", now, id));
        Optional<ApiToken> token = store.readOnly("read API token " + id, connection -> Sql.first(connection,
                "SELECT * FROM api_tokens WHERE token_id = ?", ApiTokens::token, id));
        if (token.isEmpty()) {
            throw new StrataException("TOKEN_NOT_FOUND", "no API token " + id + " in the store",
                    "list the tokens with `strata tokens list`");
        }
        return token.get();
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        return new ApiToken(row.getString("token_id"), row.getString("user_name"), row.getInt("admin") != 0,
                Timestamps.get(row, "created_at"), Timestamps.getOptional(row, "expires_at"),
                Timestamps.getOptional(row, "revoked_at"));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
