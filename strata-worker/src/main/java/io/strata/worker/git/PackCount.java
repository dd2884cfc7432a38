package io.strata.worker.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;

/**
 * The objects and bytes in a repository's pack files, read from the files themselves (a pack's
 * header holds its object count), so a fetch can say what it brought: the packs after minus before.
 *
 * @param packs each pack file's name -> {objects, bytes}
 */
record PackCount(Map<String, long[]> packs) {

    static PackCount of(Repository repository) throws IOException {
        Path dir = repository.getDirectory().toPath().resolve("objects").resolve("pack");
        Map<String, long[]> packs = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return new PackCount(packs);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path pack : files.filter(f -> f.getFileName().toString().endsWith(".pack")).toList()) {
                packs.put(pack.getFileName().toString(), new long[] {objectCount(pack), Files.size(pack)});
            }
        }
        return new PackCount(packs);
    }

    /** The packs that are here and not in {@code earlier}. */
    PackCount minus(PackCount earlier) {
        Map<String, long[]> added = new HashMap<>(packs);
        added.keySet().removeAll(earlier.packs.keySet());
        return new PackCount(added);
    }

    long objects() {
        return packs.values().stream().mapToLong(p -> p[0]).sum();
    }

    long bytes() {
        return packs.values().stream().mapToLong(p -> p[1]).sum();
    }

    /** "PACK", version, object count: three big-endian 32-bit words. */
    private static long objectCount(Path pack) throws IOException {
        try (InputStream in = Files.newInputStream(pack)) {
            byte[] header = in.readNBytes(12);
            return header.length < 12 ? 0 : Integer.toUnsignedLong(ByteBuffer.wrap(header, 8, 4).getInt());
        }
    }
}
