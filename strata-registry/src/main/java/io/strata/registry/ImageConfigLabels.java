package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** The labels in an image configuration blob ({@code config.Labels}, OCI and docker alike). */
final class ImageConfigLabels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageConfigLabels() {}

    static Map<String, String> parse(ImageReference image, byte[] config) throws RegistryException {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Reason.REGISTRY_ERROR, "the configuration of " + image
                    + " in registry " + image.registry() + " is not JSON", "check the image in the registry", e);
        }
        Map<String, String> labels = new TreeMap<>();
        root.path("config").path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
