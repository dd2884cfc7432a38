package io.strata.worker.supply;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an image's provenance says.
 *
 * @param repository   registry host and repository of the image (the statement's subject name)
 * @param digest       the image manifest's digest (the subject's digest)
 * @param request      the build request without credentials, as a JSON-ready map: the external parameters
 * @param platform     the platform built, e.g. linux/amd64
 * @param gitUrl       the source repository without credentials
 * @param commitId     the commit built
 * @param parents      each parent as written -> its digest-pinned reference
 * @param repoFiles    the yum .repo files the build used, fetched from their URLs
 * @param buildId      the build's id: the invocation id
 * @param startedAt    when the build started
 * @param finishedAt   when the image was built and pushed
 * @param tools        the versions of Strata and buildah
 */
public record ProvenanceInput(String repository, String digest, Map<String, Object> request, String platform,
        String gitUrl, String commitId, Map<String, String> parents, List<RepoFile> repoFiles, String buildId,
        Instant startedAt, Instant finishedAt, String strataVersion, Map<String, String> tools) {

    /** One .repo file: where it came from (without credentials), its name in /etc/yum.repos.d, its SHA-256. */
    public record RepoFile(String url, String name, String sha256) {}

    public ProvenanceInput {
        // Fields the request leaves out (no target, no release) are null there and absent here.
        Map<String, Object> given = new java.util.TreeMap<>();
        request.forEach((key, value) -> {
            if (value != null) {
                given.put(key, value);
            }
        });
        request = java.util.Collections.unmodifiableMap(given);
        parents = Map.copyOf(parents);
        repoFiles = List.copyOf(repoFiles);
        tools = Map.copyOf(tools);
    }
}
