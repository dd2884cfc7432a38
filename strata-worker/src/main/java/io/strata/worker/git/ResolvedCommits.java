package io.strata.worker.git;

import io.strata.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link GitCheckout#resolve} found for a commit id and a path, remembered in the repository's
 * cache ({@code strata-resolved/} inside its git directory): a commit's tree and the bytes of a file
 * in it never change, so a later resolve of the same commit id reads one small file instead of
 * opening the repository with JGit (about 0.1 s of a fresh JVM, most of an unchanged rebuild's
 * content key; docs/benchmarks.md, "Build avoidance").
 *
 * <p>Only a resolve by full commit id without a branch reads it: a branch or a tag must be asked
 * of the remote each time. Kept inside the git directory, so whatever removes the cache's objects
 * removes these too, and a remembered commit is always one the cache holds. Each file is written
 * whole under another name and renamed into place; one that cannot be read as written is ignored
 * (the repository answers instead), and failing to write one only costs the next resolve its speed.
 */
final class ResolvedCommits {
    /** Files larger than this are not remembered: a Dockerfile is a few kilobytes. */
    static final int MAX_FILE_BYTES = 1 << 20;
    private static final String HEADER = "strata-resolved 1\n";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final Path dir;

    ResolvedCommits(Path gitDir) {
        this.dir = gitDir.resolve("strata-resolved");
    }

    /** What a resolve of {@code commitId} (lower case) and {@code path} found before, when it was remembered. */
    Optional<ResolvedCommit> find(String commitId, String path) {
        Path file = fileOf(commitId, path);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // never remembered (the usual case), or unreadable: the repository answers
        }
        return parse(commitId, bytes);
    }

    /** Remembers {@code resolved}, the answer for {@code path}; quietly does nothing when it cannot. */
    void remember(ResolvedCommit resolved, String path) {
        if (resolved.file().map(bytes -> bytes.length > MAX_FILE_BYTES).orElse(false)) {
            return;
        }
        if (find(resolved.commitId(), path).isPresent()) {
            return; // remembered before: a build naming a branch resolves through the repository every time
        }
        try {
            // Whole or not at all: a reader never sees half a file (AtomicFiles writes aside, then renames).
            AtomicFiles.write(fileOf(resolved.commitId(), path), serialise(resolved));
        } catch (IOException | RuntimeException e) {
            // Not remembered: the next resolve of this commit asks the repository, as before.
        }
    }

    /** One file per commit and path; the path named by its hash, as the cache itself is by its URL's. */
    private Path fileOf(String commitId, String path) {
        return dir.resolve(commitId + "-" + GitCache.key(path));
    }

    /** {@code HEADER}, {@code tree ID}, then {@code none} or {@code file LENGTH} and the file's bytes. */
    private static byte[] serialise(ResolvedCommit resolved) {
        String head = HEADER + "tree " + resolved.treeId() + "\n"
                + resolved.file().map(bytes -> "file " + bytes.length + "\n").orElse("none\n");
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        byte[] content = resolved.file().orElse(new byte[0]);
        byte[] all = Arrays.copyOf(start, start.length + content.length);
        System.arraycopy(content, 0, all, start.length, content.length);
        return all;
    }

    private static Optional<ResolvedCommit> parse(String commitId, byte[] bytes) {
        int[] at = {0};
        if (!HEADER.equals(line(bytes, at) + "\n")) {
            return Optional.empty();
        }
        String tree = line(bytes, at);
        if (!tree.startsWith("tree ") || !ID.matcher(tree.substring(5)).matches()) {
            return Optional.empty();
        }
        String file = line(bytes, at);
        if (file.equals("none")) {
            return at[0] == bytes.length ? Optional.of(new ResolvedCommit(commitId, tree.substring(5), Optional.empty()))
                    : Optional.empty();
        }
        if (!file.matches("file [0-9]{1,7}") || Integer.parseInt(file.substring(5)) != bytes.length - at[0]) {
            return Optional.empty(); // cut short or grown: not what was written
        }
        return Optional.of(new ResolvedCommit(commitId, tree.substring(5),
                Optional.of(Arrays.copyOfRange(bytes, at[0], bytes.length))));
    }

    /** The text up to the next newline from {@code at[0]} (moved past it); what is left when there is none. */
    private static String line(byte[] bytes, int[] at) {
        int start = at[0];
        int end = start;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        at[0] = Math.min(end + 1, bytes.length);
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
