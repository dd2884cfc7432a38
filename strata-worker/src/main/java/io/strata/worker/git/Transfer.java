package io.strata.worker.git;

/**
 * How far a checkout has come, as numbers (the progress lines say the same as text).
 *
 * @param activity       {@code fetch} (git objects received) or {@code checkout} (files written)
 * @param done           objects or files done
 * @param total          how many in all; 0 when not known
 * @param bytes          bytes so far
 * @param bytesPerSecond the rate so far
 */
public record Transfer(String activity, long done, long total, long bytes, double bytesPerSecond) {}
