package io.strata.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.core.StrataException;
import io.strata.core.build.ImageOutput;
import java.util.List;

/**
 * The Koji metadata of a multi-platform build, from its workers' documents as atomic-reactor's
 * orchestrator joins them: one build section (the first worker's, pointing at the index), and per
 * platform its buildroot and its image output, each output naming its own platform's buildroot.
 */
public final class KojiMetadataJoin {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private KojiMetadataJoin() {}

    /**
     * @param orchestratorId the multi-platform build's id
     * @param workerDocuments each platform's document, in platform order
     * @param index          the pushed index (its pullspec goes to the build's pull list)
     */
    public static String join(String orchestratorId, List<String> workerDocuments, ImageOutput index)
            throws StrataException {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("metadata_version", KojiMetadata.METADATA_VERSION);
            ArrayNode buildroots = root.putArray("buildroots");
            ArrayNode outputs = root.putArray("output");
            ObjectNode build = null;
            int id = 0;
            for (String document : workerDocuments) {
                JsonNode worker = JSON.readTree(document);
                if (build == null) {
                    build = (ObjectNode) worker.path("build").deepCopy();
                }
                id++;
                for (JsonNode buildroot : worker.path("buildroots")) {
                    ObjectNode copy = buildroot.deepCopy();
                    copy.put("id", id);
                    buildroots.add(copy);
                }
                for (JsonNode output : worker.path("output")) {
                    ObjectNode copy = output.deepCopy();
                    copy.put("buildroot_id", id);
                    outputs.add(copy);
                }
            }
            if (build == null) {
                throw new IllegalArgumentException("no worker metadata to join");
            }
            ObjectNode extra = (ObjectNode) build.path("extra");
            extra.put("strata_build_id", orchestratorId);
            ObjectNode image = (ObjectNode) extra.path("image");
            ObjectNode pull = image.putObject("index");
            pull.putArray("pull").add(index.pullspec());
            index.tags().forEach(tag -> pull.withArray("tags").add(tag));
            root.set("build", build);
            String joined = JSON.writeValueAsString(root);
            List<String> problems = KojiMetadataValidator.problems(joined);
            if (!problems.isEmpty()) {
                throw new StrataException("KOJI_METADATA_INVALID", "the joined Koji metadata is incomplete: "
                        + String.join("; ", problems), "this is a bug in Strata; please report it with the build record");
            }
            return joined;
        } catch (JsonProcessingException e) {
            throw new StrataException("KOJI_METADATA_INVALID", "a worker's Koji metadata is not JSON: " + e.getOriginalMessage(),
                    "this is a bug in Strata; please report it with the build's record (strata get-build --json)");
        }
    }
}
