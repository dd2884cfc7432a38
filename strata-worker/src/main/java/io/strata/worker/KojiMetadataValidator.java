package io.strata.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a content-generator metadata document against what Koji's CGImport requires of metadata
 * version 0: the build's name/version/release/source/times, every buildroot's host, generator,
 * container, tools and components, and every output's buildroot reference, filename, size, arch,
 * checksum and type. Returns every problem, so a bad document is fixed in one go.
 */
public final class KojiMetadataValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KojiMetadataValidator() {}

    public static List<String> problems(String json) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        if (!root.path("metadata_version").isInt() || root.path("metadata_version").asInt() != KojiMetadata.METADATA_VERSION) {
            problems.add("metadata_version must be 0");
        }
        JsonNode build = root.path("build");
        requireText(build, "build", problems, "name", "version", "release", "source");
        requireNumber(build, "build", problems, "start_time", "end_time");
        if (build.path("start_time").asLong() > build.path("end_time").asLong()) {
            problems.add("build.end_time is before build.start_time");
        }
        Set<Integer> buildrootIds = new HashSet<>();
        JsonNode buildroots = root.path("buildroots");
        if (!buildroots.isArray() || buildroots.isEmpty()) {
            problems.add("buildroots must be a non-empty list");
        }
        for (int i = 0; i < buildroots.size(); i++) {
            JsonNode br = buildroots.get(i);
            String where = "buildroots[" + i + "]";
            requireNumber(br, where, problems, "id");
            buildrootIds.add(br.path("id").asInt());
            requireText(br.path("host"), where + ".host", problems, "os", "arch");
            requireText(br.path("content_generator"), where + ".content_generator", problems, "name", "version");
            requireText(br.path("container"), where + ".container", problems, "type", "arch");
            requireList(br, where, problems, "tools", "components");
        }
        JsonNode outputs = root.path("output");
        if (!outputs.isArray() || outputs.isEmpty()) {
            problems.add("output must be a non-empty list");
        }
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode out = outputs.get(i);
            String where = "output[" + i + "]";
            requireNumber(out, where, problems, "buildroot_id", "filesize");
            if (!buildrootIds.contains(out.path("buildroot_id").asInt())) {
                problems.add(where + ".buildroot_id names no buildroot");
            }
            requireText(out, where, problems, "filename", "arch", "checksum", "checksum_type", "type");
            if ("docker-image".equals(out.path("type").asText())) {
                requireList(out, where, problems, "components");
                JsonNode docker = out.path("extra").path("docker");
                requireText(docker, where + ".extra.docker", problems, "id");
                requireList(docker, where + ".extra.docker", problems, "repositories", "tags", "layer_sizes");
                if (!docker.path("digests").isObject() || docker.path("digests").isEmpty()) {
                    problems.add(where + ".extra.docker.digests must map media types to digests");
                }
            }
        }
        return problems;
    }

    private static void requireText(JsonNode node, String where, List<String> problems, String... fields) {
        for (String field : fields) {
            if (!node.path(field).isTextual() || node.path(field).asText().isBlank()) {
                problems.add(where + "." + field + " must be a non-empty string");
            }
        }
    }

    private static void requireNumber(JsonNode node, String where, List<String> problems, String... fields) {
        for (String field : fields) {
            if (!node.path(field).isIntegralNumber()) {
                problems.add(where + "." + field + " must be an integer");
            }
        }
    }

    private static void requireList(JsonNode node, String where, List<String> problems, String... fields) {
        for (String field : fields) {
            if (!node.path(field).isArray()) {
                problems.add(where + "." + field + " must be a list");
            }
        }
    }
}
