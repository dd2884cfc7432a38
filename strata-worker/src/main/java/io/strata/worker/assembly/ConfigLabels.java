package io.strata.worker.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Labels written into an image configuration (the config blob's {@code config.Labels}, and a
 * Docker-format config's {@code container_config.Labels} too), the one way Strata sets a label
 * without a builder: on a pushed image's new release (build avoidance) and on every image buildah
 * built, whose Strata labels are written into the config as it is pushed instead of being one
 * more committed step of the build (docs/builds.md, "Labels").
 */
public final class ConfigLabels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigLabels() {}

    /** {@code section}'s {@code Labels} object, made when it has none. */
    static ObjectNode labelsIn(ObjectNode section) {
        return section.get("Labels") instanceof ObjectNode labels ? labels : section.putObject("Labels");
    }

    /** Sets {@code labels} over the configuration's own, in place. */
    public static void set(ObjectNode imageConfig, Map<String, String> labels) {
        ObjectNode config = imageConfig.get("config") instanceof ObjectNode node ? node : imageConfig.putObject("config");
        labels.forEach(labelsIn(config)::put);
        if (imageConfig.get("container_config") instanceof ObjectNode container) {
            labels.forEach(labelsIn(container)::put);
        }
    }

    /**
     * The configuration {@code config} with {@code labels} set over its own and one history entry
     * saying so (no layer, the configuration's own created time, so the same build gives the same
     * bytes); {@code config} itself, to the byte, when there are no labels to set.
     */
    public static byte[] folded(byte[] config, Map<String, String> labels) throws IOException {
        if (labels.isEmpty()) {
            return config;
        }
        if (!(JSON.readTree(config) instanceof ObjectNode root)) {
            throw new IOException("the image configuration is not a JSON object");
        }
        set(root, labels);
        ArrayNode history = root.get("history") instanceof ArrayNode entries ? entries : root.putArray("history");
        ObjectNode entry = history.addObject();
        JsonNode created = root.get("created");
        if (created != null && created.isTextual()) {
            entry.put("created", created.asText());
        }
        // As buildah writes a LABEL instruction's entry, so tools that read history show it as one.
        entry.put("created_by", "/bin/sh -c #(nop) LABEL " + labels.entrySet().stream()
                .map(label -> quoted(label.getKey()) + "=" + quoted(label.getValue())).collect(Collectors.joining(" ")));
        entry.put("comment", "labels set by Strata");
        entry.put("empty_layer", true);
        return JSON.writeValueAsBytes(root);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
