package io.strata.worker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The in-toto statement (v1) of an image with a SLSA provenance v1 predicate: the subject is the
 * image manifest; the build definition has Strata's build type, the request without credentials as
 * external parameters, the platform as an internal one, and as resolved dependencies the git
 * commit, each parent image's digest and each yum .repo file's SHA-256; the run details name the
 * builder (Strata and its version), the build id and its start and end.
 */
public final class ProvenanceStatement {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
    public static final String BUILD_TYPE = "https://strata.io/buildtypes/container-image/v1";
    public static final String BUILDER_PREFIX = "https://strata.io/builders/strata@";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ProvenanceStatement() {}

    public static byte[] write(ProvenanceInput in) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("_type", STATEMENT_TYPE);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", in.repository());
        subject.putObject("digest").put("sha256", hex(in.digest()));
        statement.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = statement.putObject("predicate");

        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        definition.set("externalParameters", JSON.valueToTree(new TreeMap<>(in.request())));
        definition.putObject("internalParameters").put("platform", in.platform());
        ArrayNode dependencies = definition.putArray("resolvedDependencies");
        ObjectNode source = dependencies.addObject();
        source.put("uri", "git+" + in.gitUrl() + "@" + in.commitId());
        source.putObject("digest").put("gitCommit", in.commitId());
        source.put("name", "source");
        new TreeMap<>(in.parents()).forEach((asWritten, pinned) -> {
            ObjectNode parent = dependencies.addObject();
            parent.put("uri", "oci://" + pinned);
            int at = pinned.indexOf('@');
            if (at >= 0) {
                parent.putObject("digest").put("sha256", hex(pinned.substring(at + 1)));
            }
            parent.put("name", asWritten);
        });
        for (ProvenanceInput.RepoFile file : in.repoFiles()) {
            ObjectNode repo = dependencies.addObject();
            repo.put("uri", file.url());
            repo.putObject("digest").put("sha256", file.sha256());
            repo.put("name", "/etc/yum.repos.d/" + file.name());
        }

        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", BUILDER_PREFIX + in.strataVersion());
        ObjectNode versions = builder.putObject("version");
        new TreeMap<>(in.tools()).forEach(versions::put);
        ObjectNode metadata = run.putObject("metadata");
        metadata.put("invocationId", in.buildId());
        metadata.put("startedOn", DateTimeFormatter.ISO_INSTANT.format(in.startedAt()));
        metadata.put("finishedOn", DateTimeFormatter.ISO_INSTANT.format(in.finishedAt()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(statement);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /**
     * What is wrong with a statement for the image {@code digest}: not an in-toto v1 statement, not
     * SLSA provenance v1, or a subject other than that digest. Empty when it is right.
     */
    public static List<String> problems(byte[] statement, String digest) {
        List<String> problems = new ArrayList<>();
        JsonNode json;
        try {
            json = JSON.readTree(statement);
        } catch (IOException e) {
            return List.of("the statement is not JSON");
        }
        if (json == null || !STATEMENT_TYPE.equals(json.path("_type").asText())) {
            problems.add("_type is not " + STATEMENT_TYPE);
            return problems;
        }
        if (!PREDICATE_TYPE.equals(json.path("predicateType").asText())) {
            problems.add("predicateType is not " + PREDICATE_TYPE);
        }
        boolean subjectMatches = false;
        for (JsonNode subject : json.path("subject")) {
            subjectMatches |= hex(digest).equals(subject.path("digest").path("sha256").asText());
        }
        if (!subjectMatches) {
            problems.add("no subject has the image's digest " + digest);
        }
        JsonNode predicate = json.path("predicate");
        if (predicate.path("buildDefinition").path("buildType").asText().isEmpty()) {
            problems.add("the predicate has no buildDefinition.buildType");
        }
        if (predicate.path("runDetails").path("builder").path("id").asText().isEmpty()) {
            problems.add("the predicate has no runDetails.builder.id");
        }
        return problems;
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
