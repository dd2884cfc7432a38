package io.strata.worker;

/**
 * Facts about the machine and tools a build ran with, looked up once per process and recorded in
 * the metadata.
 *
 * @param manifestMediaType the manifest type buildah pushes (docker v2 schema 2 by default)
 */
public record BuildEnvironment(String buildahVersion, String strataVersion, String hostOs, String manifestMediaType) {
    public static final String DOCKER_V2_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
}
