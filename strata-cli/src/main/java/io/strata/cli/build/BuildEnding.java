package io.strata.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.server.api.ApiJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a build command prints and exits with once the build ended: the build's id, state and
 * failure, its images' pullspecs, and (for {@code --json}) the whole record as JSON.
 * <p>Made from a record read whole (a build of this process), or from the JSON of the record a
 * build service answered, read as a tree for just those fields ({@link #ofServiceJson}): binding
 * the whole record (request, configuration, plan, states, steps, images) to its classes cost a
 * fresh client JVM 85-140 ms of its thread, and as much again on the thread that warmed Jackson
 * up for it, on cores the build itself needed (docs/benchmarks.md, "Whole CLI", tenth pass).
 */
public record BuildEnding(BuildId id, BuildState state, Optional<Failure> failure, List<String> pullspecs,
        Supplier<String> json) {
    public BuildEnding {
        pullspecs = List.copyOf(pullspecs);
    }

    /** A record read whole; its JSON written only when asked for. */
    public static BuildEnding of(BuildRecord record) {
        return new BuildEnding(record.id(), record.state(), record.failure(),
                record.outputs().stream().map(ImageOutput::pullspec).toList(), () -> RecordJson.write(record));
    }

    /**
     * The record a build service answered, as {@code text}: its JSON is that text, indented as a
     * record written here would be (the service writes records with the same mapper).
     *
     * @throws IllegalArgumentException when {@code text} is not a build record
     */
    public static BuildEnding ofServiceJson(String text) {
        JsonNode record;
        try {
            record = ApiJson.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        String id = record.path("id").asText("");
        if (!BuildId.isValid(id)) {
            throw new IllegalArgumentException("no build id in it");
        }
        BuildState state;
        try {
            state = BuildState.valueOf(record.path("state").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no known build state in it: '" + record.path("state").asText("") + "'", e);
        }
        JsonNode failed = record.path("failure");
        Optional<Failure> failure = failed.isObject()
                ? Optional.of(new Failure(failed.path("reason").asText(""), failed.path("message").asText(""),
                        failed.path("hint").asText("")))
                : Optional.empty();
        List<String> pullspecs = new ArrayList<>();
        for (JsonNode output : record.path("outputs")) {
            pullspecs.add(output.path("repository").asText() + "@" + output.path("digest").asText());
        }
        return new BuildEnding(new BuildId(id), state, failure, pullspecs, () -> ApiJson.write(record));
    }
}
