package io.strata.local.ops;

import io.strata.core.StrataException;
import io.strata.core.service.OperationsReasons;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations an operator writes: a whole number and a unit, {@code 500ms}, {@code 90s}, {@code 15m}, {@code 720h}, {@code 30d}. */
public final class OperatorDuration {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private OperatorDuration() {}

    /**
     * @param what where the text came from, for the message ({@code --keep-younger-than}, {@code strata_prune_keep})
     */
    public static Duration parse(String text, String what) throws StrataException {
        Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            String shown = text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new StrataException(OperationsReasons.DURATION_INVALID, what + " '" + shown + "' is not a duration",
                    "write a whole number and a unit (ms, s, m, h or d), e.g. " + what + " 720h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
