package io.strata.server.api;

import io.strata.core.build.LogLine;
import java.util.List;

/**
 * The answer of {@code GET /api/v1/builds/{id}/logs}: lines after {@code ?after=N}, and the
 * sequence to ask after next ({@code last_sequence}; the {@code after} given when no line came).
 */
public record LogPage(List<LogLine> lines, long lastSequence) {
    public LogPage {
        lines = List.copyOf(lines);
    }
}
