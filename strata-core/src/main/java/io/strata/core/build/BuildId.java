package io.strata.core.build;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Identifies one build. Time-ordered so that listings sort naturally, with random bits so that two
 * builds started in the same second on different machines do not collide: {@code 20261122-004512-3f9a1c}.
 */
public record BuildId(@com.fasterxml.jackson.annotation.JsonValue String value) implements Comparable<BuildId> {
    private static final Pattern FORMAT = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public BuildId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a build id: " + value);
        }
    }

    public static BuildId next(Clock clock) {
        byte[] bits = new byte[3];
        RANDOM.nextBytes(bits);
        return new BuildId(STAMP.format(clock.instant()) + "-" + HexFormat.of().formatHex(bits));
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    @Override
    public int compareTo(BuildId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
