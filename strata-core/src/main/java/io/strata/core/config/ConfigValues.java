package io.strata.core.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values out of the strings an osbs.conf holds, with configparser's rules. The
 * loader calls {@link #check} on every value it will use, so the typed getters of
 * {@link Configuration} never meet a bad value.
 */
public final class ConfigValues {
    private static final Set<String> TRUE = Set.of("1", "yes", "true", "on");
    private static final Set<String> FALSE = Set.of("0", "no", "false", "off");

    private ConfigValues() {}

    /** Why a value cannot be read, and what to write instead. */
    public record Invalid(String message, String fix) {}

    /** Configparser's {@code getboolean}: 1/yes/true/on and 0/no/false/off, any case. */
    public static boolean parseBoolean(String raw) {
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw new IllegalArgumentException("'" + raw + "' is not a boolean");
    }

    /** A whole number of at least 1 (every integer key counts something). */
    public static int parsePositiveInt(String raw) {
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a whole number", e);
        }
        if (value < 1) {
            throw new IllegalArgumentException(value + " is less than 1");
        }
        return value;
    }

    /** Items separated by commas and/or whitespace (osbs-client accepts both), empties dropped. */
    public static List<String> parseList(String raw) {
        return Arrays.stream(raw.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * {@code key=value, key2=value2} in osbs-client's syntax, or {@code none} for no selector.
     * Insertion order is kept so rendered output follows the file.
     */
    public static Map<String, String> parseNodeSelector(String raw) {
        String value = raw.strip();
        if (value.isEmpty() || value.equalsIgnoreCase("none")) {
            return Map.of();
        }
        Map<String, String> selector = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not a key=value pair");
            }
            selector.put(key, pair.substring(eq + 1).strip());
        }
        return Collections.unmodifiableMap(selector);
    }

    /** Whether {@code raw} can be read as {@code key}'s type; empty when it can. */
    public static Optional<Invalid> check(ConfigKey key, String raw) {
        try {
            switch (key.type()) {
                case BOOLEAN -> parseBoolean(raw);
                case INTEGER -> parsePositiveInt(raw);
                case NODE_SELECTOR -> parseNodeSelector(raw);
                case CHOICE -> {
                    if (!key.choices().contains(raw.strip())) {
                        return Optional.of(new Invalid(key.key() + ": '" + raw + "' is not one of " + key.choices(),
                                "write one of: " + String.join(", ", key.choices())));
                    }
                }
                case LIST -> {
                    Optional<Invalid> invalid = checkList(key, raw);
                    if (invalid.isPresent()) {
                        return invalid;
                    }
                }
                case STRING, SECRET -> { }
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(new Invalid(key.key() + ": " + e.getMessage(), fixFor(key)));
        }
    }

    /** Elements of a LIST key with choices must be among them; the network allow-list must be host:port. */
    private static Optional<Invalid> checkList(ConfigKey key, String raw) {
        if (key == ConfigKey.STRATA_BUILD_NETWORK_ALLOW) {
            HostPort.parseList(raw);
            return Optional.empty();
        }
        for (String element : parseList(raw)) {
            if (!key.choices().isEmpty() && !key.choices().contains(element)) {
                return Optional.of(new Invalid(key.key() + ": '" + element + "' is not one of " + key.choices(),
                        "write a comma-separated list of: " + String.join(", ", key.choices())));
            }
        }
        return Optional.empty();
    }

    private static String fixFor(ConfigKey key) {
        return switch (key.type()) {
            case BOOLEAN -> "write " + key.key() + " = true or " + key.key() + " = false (also 1/0, yes/no, on/off)";
            case INTEGER -> "write a whole number of at least 1, e.g. " + key.key() + " = "
                    + key.defaultValue().orElse("1");
            case NODE_SELECTOR -> "write " + key.key() + " = key=value, key2=value2 (or none)";
            case LIST -> "write " + key.key() + " = host:port, host2:port2 (a host name or IPv4 address and a port 1-65535)";
            default -> "";
        };
    }
}
