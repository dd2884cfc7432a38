package io.strata.dockerfile;

/**
 * A builder flag such as {@code --from=builder} or {@code --link}: name without dashes, value with
 * quotes removed, or {@code null} for a bare flag.
 */
public record Flag(String name, String value) {
    @Override
    public String toString() {
        return value == null ? "--" + name : "--" + name + "=" + value;
    }
}
