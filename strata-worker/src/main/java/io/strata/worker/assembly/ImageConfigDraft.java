package io.strata.worker.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image configuration as buildah writes it for an OCI image: the base image's configuration
 * (only the OCI fields; a Docker-format base's extra fields are dropped, as buildah drops them),
 * then each instruction's change, one history entry per instruction (metadata ones marked
 * {@code empty_layer}) and one diff id per layer. ENTRYPOINT clears a CMD inherited from the base,
 * not one set earlier in the stage, and a base without PATH gets the default PATH, as buildah does.
 */
final class ImageConfigDraft {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OCI_CONFIG_FIELDS = Set.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd",
            "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped");

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode config;
    private final ArrayNode diffIds;
    private final ArrayNode history;
    private final String created;
    private boolean cmdSet;

    /** {@code base}: the base image's configuration bytes, or null for scratch. */
    ImageConfigDraft(byte[] base, String os, String architecture, String variant, Instant created) throws IOException {
        JsonNode parsed = base == null ? JSON.createObjectNode() : JSON.readTree(base);
        this.created = created.toString();
        root.put("created", this.created);
        if (parsed.hasNonNull("author")) {
            root.set("author", parsed.get("author"));
        }
        root.put("architecture", architecture);
        root.put("os", os);
        if (variant != null && !variant.isEmpty()) {
            root.put("variant", variant);
        }
        config = root.putObject("config");
        parsed.path("config").properties().forEach(field -> {
            if (OCI_CONFIG_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
                config.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        ArrayNode env = config.has("Env") && config.get("Env").isArray() ? (ArrayNode) config.get("Env") : config.putArray("Env");
        boolean hasPath = false;
        for (JsonNode entry : env) {
            hasPath |= entry.asText().startsWith("PATH=");
        }
        if (!hasPath) {
            // buildah's builder gives a stage without PATH the default one, first.
            env.insert(0, DEFAULT_PATH);
        }
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        diffIds = rootfs.putArray("diff_ids");
        parsed.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        history = root.putArray("history");
        parsed.path("history").forEach(entry -> history.add(entry.deepCopy()));
    }

    void layer(String diffId, String createdBy) {
        diffIds.add(diffId);
        ObjectNode entry = history.addObject();
        entry.put("created", created);
        entry.put("created_by", createdBy);
    }

    void metadata(String createdBy, ConfigEdit edit) {
        apply(edit);
        ObjectNode entry = history.addObject();
        entry.put("created", created);
        entry.put("created_by", createdBy);
        entry.put("empty_layer", true);
    }

    private void apply(ConfigEdit edit) {
        switch (edit) {
            case ConfigEdit.None none -> { }
            case ConfigEdit.Env env -> env.values().forEach(this::setEnv);
            case ConfigEdit.Labels labels -> labels.values().forEach(ConfigLabels.labelsIn(config)::put);
            case ConfigEdit.WorkingDir dir -> config.put("WorkingDir", dir.path());
            case ConfigEdit.User user -> config.put("User", user.user());
            case ConfigEdit.StopSignal signal -> config.put("StopSignal", signal.signal());
            case ConfigEdit.Expose expose -> {
                ObjectNode ports = config.has("ExposedPorts") && config.get("ExposedPorts").isObject()
                        ? (ObjectNode) config.get("ExposedPorts") : config.putObject("ExposedPorts");
                expose.ports().forEach(port -> ports.putObject(port));
            }
            case ConfigEdit.Cmd cmd -> {
                cmdSet = true;
                strings("Cmd", cmd.args());
            }
            case ConfigEdit.Entrypoint entrypoint -> {
                strings("Entrypoint", entrypoint.args());
                if (!cmdSet) {
                    config.remove("Cmd");
                }
            }
        }
    }

    private void setEnv(String key, String value) {
        ArrayNode env = config.has("Env") && config.get("Env").isArray() ? (ArrayNode) config.get("Env") : config.putArray("Env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith(key + "=")) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }

    private void strings(String field, List<String> values) {
        ArrayNode array = config.putArray(field);
        values.forEach(array::add);
    }

    /** The labels so far, for the log. */
    Map<String, String> labels() {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        config.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }
}
