package io.strata.server.ui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser sessions of the web UI, in this server process's memory only (a restart signs
 * everyone out; no table, no migration). The cookie holds a random 256-bit session id, never the
 * token: the token stays here, so every page checks it again against the store and a revoked or
 * expired token ends its sessions at once.
 */
final class Sessions {
    static final String COOKIE = "strata_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    /** A bound on memory: the oldest-expiring half of the sessions is dropped past it. */
    static final int MAX_SESSIONS = 10_000;

    /**
     * One signed-in browser: the token it signed in with, the user it stands for, and the value its
     * forms must send back ({@code csrf}) for a POST to be taken.
     */
    record Session(String id, String token, String user, String csrf, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[user=" + user + ", expiresAt=" + expiresAt + "]"; // never the token or the ids
        }
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Session open(String token, String user) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().map(Session::expiresAt).sorted().skip(MAX_SESSIONS / 2).findFirst()
                        .ifPresent(cut -> sessions.values().removeIf(s -> s.expiresAt().isBefore(cut)));
            }
        }
        Session session = new Session(randomId(), token, user, randomId(), now.plus(LIFETIME));
        sessions.put(session.id(), session);
        return session;
    }

    Optional<Session> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!session.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** The Set-Cookie value that keeps {@code session} in the browser: script cannot read it, other sites cannot send it. */
    static String cookie(Session session) {
        return COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME.toSeconds();
    }

    static String clearingCookie() {
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    private String randomId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
