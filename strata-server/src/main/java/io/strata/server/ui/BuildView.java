package io.strata.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.core.build.BuildId;
import io.strata.core.build.BuildRecord;
import io.strata.server.api.ApiJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A build as the pages show it, read from the same JSON document {@code GET /api/v1/builds/{id}}
 * and {@code strata get-build --json} print (one mapper, {@link ApiJson}). Reading the document
 * rather than the Java record lets the pages show what newer records carry without a change here:
 * per-platform {@code workers} of multi-platform builds (platform, state, failure, outputs, steps),
 * and SBOM or provenance references. A build without {@code workers} is shown as one implicit
 * worker holding the build's own state, steps and outputs.
 */
final class BuildView {
    private final JsonNode node;

    BuildView(JsonNode node) {
        this.node = node;
    }

    static BuildView of(BuildRecord record) {
        return new BuildView(ApiJson.MAPPER.valueToTree(record));
    }

    /** One platform's part of a build; {@code logBuildId} is the build whose log holds its lines. */
    record Worker(String platform, String state, JsonNode failure, JsonNode outputs, JsonNode steps, String logBuildId,
            boolean implicit) {}

    /** A supply-chain document of a build: what it is (SBOM, provenance) and where it is. */
    record Attachment(String kind, String where) {
        boolean isLink() {
            return where.startsWith("https://") || where.startsWith("http://") || where.startsWith("/");
        }
    }

    JsonNode json() {
        return node;
    }

    String id() {
        return text(node, "id");
    }

    String state() {
        return text(node, "state");
    }

    boolean terminal() {
        return switch (state()) {
            case "COMPLETE", "FAILED", "CANCELLED" -> true;
            default -> false;
        };
    }

    JsonNode request() {
        return node.path("request");
    }

    String component() {
        return text(request(), "component");
    }

    String user() {
        return text(request(), "user");
    }

    JsonNode failure() {
        return node.path("failure");
    }

    /** Image name-version-release from the first output's labels, once the build has outputs. */
    Optional<String> nvr() {
        for (Worker worker : workers()) {
            for (JsonNode output : worker.outputs()) {
                JsonNode labels = output.path("labels");
                String name = text(labels, "name");
                if (!name.isEmpty()) {
                    return Optional.of(name + "-" + text(labels, "version") + "-" + text(labels, "release"));
                }
            }
        }
        return Optional.empty();
    }

    /** The workers of a multi-platform build, or one implicit worker for a build that has none. */
    List<Worker> workers() {
        JsonNode workers = node.path("workers");
        List<Worker> all = new ArrayList<>();
        if (workers.isArray() && !workers.isEmpty()) {
            for (JsonNode worker : workers) {
                String own = firstText(worker, "id", "build_id", "worker_id");
                all.add(new Worker(text(worker, "platform"), text(worker, "state"), worker.path("failure"),
                        array(worker.path("outputs")), array(worker.path("steps")),
                        BuildId.isValid(own) ? own : id(), false));
            }
            return all;
        }
        JsonNode outputs = array(node.path("outputs"));
        all.add(new Worker(platforms(), state(), failure(), outputs, array(node.path("steps")), id(), true));
        return all;
    }

    /** The platforms asked for, or those built, or "-" when neither is known yet. */
    private String platforms() {
        Set<String> names = new LinkedHashSet<>();
        array(request().path("platforms")).forEach(p -> names.add(p.asText()));
        if (names.isEmpty()) {
            array(node.path("outputs")).forEach(o -> names.add(text(o, "platform")));
        }
        names.remove("");
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    /** When the build first started running, else when it was created. */
    Instant started() {
        for (JsonNode transition : array(node.path("transitions"))) {
            if ("RUNNING".equals(text(transition, "state"))) {
                return instant(text(transition, "at")).orElseGet(this::created);
            }
        }
        return created();
    }

    Instant created() {
        return instant(text(node, "created_at")).orElse(Instant.EPOCH);
    }

    /** When the build reached its end state, if it has. */
    Optional<Instant> finished() {
        if (!terminal()) {
            return Optional.empty();
        }
        JsonNode transitions = array(node.path("transitions"));
        return transitions.isEmpty() ? Optional.empty() : instant(text(transitions.get(transitions.size() - 1), "at"));
    }

    /**
     * SBOM and provenance references anywhere in the document (the build, its outputs, its workers):
     * a field whose name says sbom or provenance, holding a text or an object with a url, reference
     * or pullspec.
     */
    List<Attachment> attachments() {
        List<Attachment> found = new ArrayList<>();
        List<JsonNode> outputs = new ArrayList<>();
        array(node.path("outputs")).forEach(outputs::add);
        array(node.path("workers")).forEach(worker -> array(worker.path("outputs")).forEach(outputs::add));
        for (JsonNode output : outputs) {
            // Attached as OCI artifacts in the image's repository (docs/supply-chain.md): found by their digest there.
            for (JsonNode attestation : array(output.path("attestations"))) {
                String kind = text(attestation, "kind");
                String label = kind.equalsIgnoreCase("sbom") ? "SBOM" : kind.equalsIgnoreCase("provenance") ? "Provenance" : kind;
                String platform = text(output, "platform");
                found.add(new Attachment(label + (platform.isEmpty() ? "" : " (" + platform + ")")
                        + (attestation.path("signed").asBoolean() ? ", signed" : ""),
                        text(output, "repository") + "@" + text(attestation, "digest")));
            }
        }
        collect(node, found, 0);
        return found;
    }

    private static void collect(JsonNode here, List<Attachment> found, int depth) {
        if (depth > 6) {
            return;
        }
        if (here.isArray()) {
            here.forEach(child -> collect(child, found, depth + 1));
            return;
        }
        if (!here.isObject()) {
            return;
        }
        here.properties().forEach(field -> {
            String name = field.getKey().toLowerCase(java.util.Locale.ROOT);
            String kind = name.contains("sbom") ? "SBOM" : name.contains("provenance") ? "Provenance" : null;
            JsonNode value = field.getValue();
            if (kind != null && value.isTextual() && !value.asText().isBlank()) {
                found.add(new Attachment(kind, value.asText()));
            } else if (kind != null && value.isObject()) {
                String where = firstText(value, "url", "href", "reference", "pullspec", "path", "digest");
                if (!where.isEmpty()) {
                    found.add(new Attachment(kind, where));
                }
            } else if (!"request".equals(name) && !"config_snapshot".equals(name)) {
                collect(value, found, depth + 1);
            }
        });
    }

    /** The image index of a multi-platform build (a pullspec): its output of platform {@code index}. */
    Optional<String> index() {
        for (JsonNode output : array(node.path("outputs"))) {
            if ("index".equals(text(output, "platform"))) {
                return Optional.of(text(output, "repository") + "@" + text(output, "digest"));
            }
        }
        JsonNode index = node.path("index");
        if (index.isTextual()) {
            return Optional.of(index.asText());
        }
        String pullspec = firstText(index, "pullspec", "reference");
        if (!pullspec.isEmpty()) {
            return Optional.of(pullspec);
        }
        String repository = text(index, "repository");
        String digest = text(index, "digest");
        return repository.isEmpty() || digest.isEmpty() ? Optional.empty() : Optional.of(repository + "@" + digest);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    static JsonNode array(JsonNode node) {
        return node.isArray() ? node : JsonNodeFactory.instance.arrayNode();
    }

    static Optional<Instant> instant(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
