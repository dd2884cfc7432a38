package io.strata.worker.buildah;

import io.strata.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * buildah's version, remembered across processes for one buildah binary: asking it is a process of
 * its own, the only one an unchanged rebuild of a fresh {@code strata build} would start (10-50 ms,
 * on a core the command needs). The file holds one line, the binary's identity and its version; the
 * identity is the binary's real path, inode, size, modification and change times, so an upgrade
 * (a new file, or one written in place) is asked again. Anything unreadable or damaged is ignored
 * and buildah asked, as before the memo existed.
 */
final class BuildahVersionMemo {
    /** Versions are short ("1.28.2"); a longer line is not one this class wrote. */
    private static final int MAX_BYTES = 4096;

    private final Path file;

    BuildahVersionMemo(Path file) {
        this.file = file;
    }

    /** The version remembered for {@code binary}, if it is the same file as when it was remembered. */
    Optional<String> recall(Path binary) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            String[] line = Files.readString(file, StandardCharsets.UTF_8).strip().split("\t");
            if (line.length != 2 || line[1].isBlank() || !line[0].equals(identity(binary))) {
                return Optional.empty();
            }
            return Optional.of(line[1]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Remembers {@code version} for {@code binary}, written whole or not at all ({@link AtomicFiles}).
     * Failing to write only costs the next process the question.
     */
    void remember(Path binary, String version) {
        if (version.isBlank() || version.contains("\t") || version.contains("\n")) {
            return;
        }
        try {
            AtomicFiles.writeString(file, identity(binary) + "\t" + version + "\n");
        } catch (IOException | RuntimeException e) {
            // The next process asks buildah again.
        }
    }

    /** Real path, inode, size, modification and change time (nanoseconds where the file system keeps them). */
    static String identity(Path binary) throws IOException {
        Path real = binary.toRealPath();
        Map<String, Object> attributes = Files.readAttributes(real, "unix:ino,size,lastModifiedTime,ctime");
        return real + " ino=" + attributes.get("ino") + " size=" + attributes.get("size") + " mtime="
                + attributes.get("lastModifiedTime") + " ctime=" + attributes.get("ctime");
    }
}
