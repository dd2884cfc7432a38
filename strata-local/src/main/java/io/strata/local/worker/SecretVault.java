package io.strata.local.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.io.AtomicFiles;
import io.strata.core.request.BuildRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The credentials of queued builds, kept apart from the store: a build waits in the queue longer
 * than the process that submitted it, and its record holds the request without credentials. Of a
 * request whose URLs carry credentials, the URLs themselves (git URI, repo URLs) are written on
 * submit to one file per build, {@code <strata_home>/secrets/<id>.json}, mode 0600 in a 0700
 * directory; the worker gets them back when it starts, and the file is deleted when the build ends.
 */
public final class SecretVault {
    /** The reason of a vault Strata cannot write or read. */
    static final String SECRET_STORE_UNAVAILABLE = "SECRET_STORE_UNAVAILABLE";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public SecretVault(Path dir) {
        this.dir = dir;
    }

    /** The file of a build; exists only while a build with credentials waits or runs. */
    Path fileOf(BuildId id) {
        return dir.resolve(id.value() + ".json");
    }

    /** Keeps the request's credentialed URLs if it has any; a request without credentials leaves nothing. */
    public void keep(BuildId id, BuildRequest request) throws StrataException {
        if (request.withoutCredentials().equals(request)) {
            return;
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            // AtomicFiles writes through a temporary file, which the JDK creates with mode 0600.
            AtomicFiles.writeString(fileOf(id), JSON.writeValueAsString(new Urls(request.gitUri(), request.yumRepoUrls())));
        } catch (IOException e) {
            throw unavailable("cannot write the credentials of build " + id + " under " + dir + ": " + e.getMessage());
        }
    }

    /** The request as submitted: the stored one with the kept URLs put back (as it is when nothing was kept). */
    public BuildRequest restore(BuildId id, BuildRequest stored) throws StrataException {
        String text;
        Path file = fileOf(id);
        // Most builds carry no credentials: a look at the directory entry is cheaper than the
        // exception a read of a missing file throws (the read still handles the file going away).
        if (!Files.exists(file)) {
            return stored;
        }
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return stored;
        } catch (IOException e) {
            throw unavailable("cannot read the credentials of build " + id + " under " + dir + ": " + e.getMessage());
        }
        try {
            Urls urls = JSON.readValue(text, Urls.class);
            return stored.toBuilder().gitUri(urls.gitUri()).yumRepoUrls(urls.yumRepoUrls()).build();
        } catch (JsonProcessingException e) {
            // Jackson's message could quote the file's content: say where, not what.
            throw unavailable("the credentials file of build " + id + " (" + fileOf(id) + ") is not readable JSON");
        }
    }

    /** Once the build has ended: nothing of its credentials stays behind. */
    public void forget(BuildId id) {
        try {
            Files.deleteIfExists(fileOf(id));
        } catch (IOException e) {
            // Reported by the next keep or restore if the directory is broken; a leftover file is 0600.
        }
    }

    private StrataException unavailable(String message) {
        return new StrataException(SECRET_STORE_UNAVAILABLE, message,
                "check that " + dir + " is a directory this user can write (it lives under strata_home)");
    }

    /** What is kept: only the URLs that may carry credentials. */
    private record Urls(@com.fasterxml.jackson.annotation.JsonProperty("git_uri") String gitUri,
            @com.fasterxml.jackson.annotation.JsonProperty("yum_repo_urls") List<String> yumRepoUrls) {}
}
