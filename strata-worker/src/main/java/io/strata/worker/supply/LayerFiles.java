package io.strata.worker.supply;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The regular files of image layers (gzip or plain tar blobs, bottom first), with their SHA-256:
 * what the build's own layers add. A later layer's file replaces an earlier one's at the same
 * path; OCI whiteouts ({@code .wh.NAME}) remove a path and are not files themselves.
 */
public final class LayerFiles {
    private final Map<String, AddedFile> files = new TreeMap<>();

    /** Adds one layer's files; the layers must come bottom first. */
    public LayerFiles add(InputStream layer) throws IOException {
        InputStream in = layer.markSupported() ? layer : new java.io.BufferedInputStream(layer);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        boolean gzip = first == 0x1f && second == 0x8b;
        in.reset();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(in) : in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String path = "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (name.startsWith(".wh.")) {
                    String removed = path.substring(0, path.lastIndexOf('/') + 1) + name.substring(4);
                    files.keySet().removeIf(known -> known.equals(removed) || known.startsWith(removed + "/"));
                    continue;
                }
                if (entry.isFile()) {
                    files.put(path, new AddedFile(path, sha256(tar), entry.getSize()));
                } else {
                    files.remove(path);
                }
            }
        }
        return this;
    }

    /** Every file, by path. */
    public List<AddedFile> files() {
        return new ArrayList<>(files.values());
    }

    private static String sha256(InputStream content) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int read;
            while ((read = content.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
