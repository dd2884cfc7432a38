package io.strata.worker.assembly;

import java.nio.file.Path;

/** One entry of a layer as it will be written: a directory, a regular file (read from the context) or a symbolic link. */
sealed interface LayerEntry {
    int uid();

    int gid();

    record Directory(int mode, int uid, int gid) implements LayerEntry {}

    record RegularFile(Path source, int mode, int uid, int gid, long size) implements LayerEntry {}

    record Symlink(String target, int uid, int gid) implements LayerEntry {}
}
