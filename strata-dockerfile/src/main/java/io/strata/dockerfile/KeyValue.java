package io.strata.dockerfile;

/**
 * One {@code key=value} pair of ENV or LABEL (or the single pair of the legacy {@code key value} form),
 * exactly as written: quotes and escapes still in place, nothing expanded.
 */
public record KeyValue(String rawKey, String rawValue) {}
