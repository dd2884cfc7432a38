package io.strata.worker.supply;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an image's SBOM says.
 *
 * @param repository   registry host and repository the image was pushed to
 * @param digest       the image manifest's digest
 * @param name         the image's name label; {@code version} its version-release
 * @param packages     the OS packages installed in the image (dpkg and rpm)
 * @param addedFiles   the files the build's own layers add
 * @param parents      each parent as written in the Dockerfile -> its digest-pinned reference
 * @param gitUrl       the source repository, without credentials
 * @param commitId     the source commit
 * @param sourceDate   the commit's time: the SBOM's timestamp, so a rebuilt image has the same SBOM
 * @param strataVersion the version of Strata that wrote it
 * @param packagesListed false when the image's package databases could not be read: {@code packages} is then
 *                     empty for want of knowing, not because the image has none
 */
public record SbomInput(String repository, String digest, String name, String version, List<OsPackage> packages,
        List<AddedFile> addedFiles, Map<String, String> parents, String gitUrl, String commitId, Instant sourceDate,
        String strataVersion, boolean packagesListed) {
    public SbomInput {
        packages = List.copyOf(packages);
        addedFiles = List.copyOf(addedFiles);
        parents = Map.copyOf(parents);
    }
}
