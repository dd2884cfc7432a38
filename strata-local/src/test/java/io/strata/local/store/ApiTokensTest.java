package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.config.StrataSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens in the embedded store: hashed at rest, checked, expired, revoked, shared between store handles. */
class ApiTokensTest {
    @TempDir
    Path home;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void aCreatedTokenAuthenticatesItsUserAndOnlyItsHashIsStored() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(home);
        try (JdbcBuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty(), clock)) {
            ApiTokens.Created created = store.apiTokens().create("alice", true, Optional.empty());
            assertThat(created.secret()).startsWith(ApiTokens.PREFIX).hasSize(50);
            assertThat(created.toString()).doesNotContain(created.secret());

            // Another handle on the same store (another process in real life) sees the token.
            try (JdbcBuildStore other = BuildStores.open(url, Optional.empty(), Optional.empty(), clock)) {
                assertThat(other.apiTokens().check(created.secret()))
                        .isEqualTo(new ApiTokens.Check.Valid(created.token()));
            }
            assertThat(created.token().user()).isEqualTo("alice");
            assertThat(created.token().admin()).isTrue();
        }
        List<String> cells = new ArrayList<>();
        try (var connection = DriverManager.getConnection(url);
                ResultSet row = connection.createStatement().executeQuery("SELECT * FROM api_tokens")) {
            while (row.next()) {
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    cells.add(String.valueOf(row.getString(i)));
                }
            }
        }
        assertThat(cells).isNotEmpty().noneMatch(cell -> cell.startsWith(ApiTokens.PREFIX));
        assertThat(String.join(" ", cells)).doesNotContain(ApiTokens.PREFIX);
        try (var bytes = Files.newInputStream(home.resolve("store/strata.db"))) {
            assertThat(new String(bytes.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("strata_");
        }
    }

    @Test
    void malformedUnknownExpiredAndRevokedTokensAreTold() throws Exception {
        try (JdbcBuildStore store = BuildStores.open(StrataSettings.embeddedStoreUrl(home), Optional.empty(),
                Optional.empty(), clock)) {
            ApiTokens tokens = store.apiTokens();
            assertThat(tokens.check("not-a-token")).isInstanceOf(ApiTokens.Check.Malformed.class);
            assertThat(tokens.check(null)).isInstanceOf(ApiTokens.Check.Malformed.class);
            assertThat(tokens.check(ApiTokens.PREFIX + "A".repeat(43))).isInstanceOf(ApiTokens.Check.Unknown.class);

            ApiTokens.Created shortLived = tokens.create("bob", false, Optional.of(Duration.ofMinutes(5)));
            assertThat(tokens.check(shortLived.secret())).isInstanceOf(ApiTokens.Check.Valid.class);
            clock.advance(Duration.ofMinutes(5));
            assertThat(tokens.check(shortLived.secret())).isInstanceOf(ApiTokens.Check.Expired.class);

            ApiTokens.Created revoked = tokens.create("carol", false, Optional.empty());
            assertThat(tokens.revoke(revoked.token().id()).revokedAt()).isPresent();
            assertThat(tokens.revoke(revoked.token().id()).revokedAt()).isPresent();
            assertThat(tokens.check(revoked.secret())).isInstanceOf(ApiTokens.Check.Unknown.class);

            assertThat(tokens.list()).extracting(ApiToken::user).containsExactly("bob", "carol");
            assertThatThrownBy(() -> tokens.revoke("tok-000000000000"))
                    .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.reason()).isEqualTo("TOKEN_NOT_FOUND"));
            assertThatThrownBy(() -> tokens.create("no spaces please", false, Optional.empty()))
                    .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.reason()).isEqualTo("USER_NAME_INVALID"));
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }
}
