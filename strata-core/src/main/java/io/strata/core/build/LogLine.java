package io.strata.core.build;

import java.time.Instant;

/**
 * One line of a build's log.
 *
 * @param sequence  position in the build's log, from 1, so followers can ask for "after N"
 * @param step      the plan step that produced it
 * @param text      the line, already redacted of credentials
 */
public record LogLine(long sequence, Instant at, String step, String text) {}
