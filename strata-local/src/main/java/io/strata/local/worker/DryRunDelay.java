package io.strata.local.worker;

import io.strata.core.StrataException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code strata_dry_run_delay}: a whole number with a unit, {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class DryRunDelay {
    static final String INVALID = "DRY_RUN_DELAY_INVALID";
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private DryRunDelay() {}

    static Duration parse(String text) throws StrataException {
        Matcher matcher = FORMAT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new StrataException(INVALID, "strata_dry_run_delay = '" + text + "' is not a duration",
                    "write a whole number with ms, s, m or h, e.g. strata_dry_run_delay = 2s");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
