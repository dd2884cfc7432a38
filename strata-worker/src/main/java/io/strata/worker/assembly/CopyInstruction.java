package io.strata.worker.assembly;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One COPY or ADD that becomes a layer, resolved against the build context.
 *
 * @param sources     existing files or directories inside the context (globs already expanded)
 * @param destination absolute path in the image
 * @param intoDirectory whether file sources go into the destination as a directory
 * @param createdDirectories directories the image lacks that this layer makes: those of the WORKDIRs
 *                    since the last layer (owned by the USER of the time) and the parents a COPY
 *                    --chown makes (owned by its owner), as buildah makes them
 * @param uid         owner of every copied entry (0 without --chown)
 * @param gid         group of every copied entry
 * @param chmod       --chmod's mode for copied files, if given
 * @param createdBy   the history line, as buildah writes it
 */
record CopyInstruction(List<Path> sources, String destination, boolean intoDirectory, List<CreatedDirectory> createdDirectories,
        int uid, int gid, Optional<Integer> chmod, String createdBy) {
    CopyInstruction {
        sources = List.copyOf(sources);
        createdDirectories = List.copyOf(createdDirectories);
    }

    /** A directory (no leading slash) a layer makes, 0755, with its owner. */
    record CreatedDirectory(String path, int uid, int gid) {}
}
