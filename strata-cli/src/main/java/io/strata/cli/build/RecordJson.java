package io.strata.cli.build;

import io.strata.server.api.ApiJson;

/**
 * The JSON the build commands print with --json: the build service's JSON ({@link ApiJson}), so
 * {@code strata get-build --json} and {@code GET /api/v1/builds/{id}} are the same document. The
 * configuration snapshot in a record never holds secrets: they are removed before it is stored.
 */
final class RecordJson {
    private RecordJson() {}

    static String write(Object value) {
        return ApiJson.write(value);
    }

    /** One line, for streams of records (JSON lines). */
    static String writeCompact(Object value) {
        return ApiJson.writeCompact(value);
    }
}
