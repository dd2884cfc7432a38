package io.strata.worker.supply;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 * The regular files of image layers, bottom first, with their SHA-256: what the build's own layers
 * add. A layer comes either as its blob (gzip or plain tar, {@link #add}) or as it is stored on
 * disk by buildah (its tar entries' names and the directory holding its files, {@link #addStored});
 * both give the same list. A later layer's file replaces an earlier one's at the same path; OCI
 * whiteouts ({@code .wh.NAME}) remove a path and are not files themselves; a hard link is a file
 * with its target's content; a symbolic link, a directory or a device is not a file.
 */
public final class LayerFiles {
    private final Map<String, AddedFile> files = new TreeMap<>();

    /** Adds one layer's files from its blob; the layers must come bottom first. */
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
                String path = imagePath(entry.getName());
                if (whiteout(path)) {
                    continue;
                }
                // isFile() alone also answers true for links and devices: only these flags carry content.
                byte flag = entry.getLinkFlag();
                if (flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
                        || flag == TarArchiveEntry.LF_CONTIG) {
                    files.put(path, new AddedFile(path, sha256(tar), entry.getSize()));
                } else if (entry.isLink()) {
                    AddedFile target = files.get(imagePath(entry.getLinkName()));
                    putOrRemove(path, target == null ? null : new AddedFile(path, target.sha256(), target.size()));
                } else {
                    files.remove(path);
                }
            }
        }
        return this;
    }

    /**
     * Adds one layer as buildah stores it: {@code names}, its tar entries' names in order (from the
     * layer's tar-split), and {@code directory}, where its files are (overlay's {@code diff}, or
     * vfs's whole tree of that layer). A hard link is a plain file there, with the same content.
     */
    public LayerFiles addStored(List<String> names, Path directory) throws IOException {
        for (String name : names) {
            String path = imagePath(name);
            if (whiteout(path)) {
                continue;
            }
            Path file = directory.resolve(path.substring(1));
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(path, new AddedFile(path, sha256(content), Files.size(file)));
                }
            } else {
                files.remove(path);
            }
        }
        return this;
    }

    /** Every file, by path. */
    public List<AddedFile> files() {
        return new ArrayList<>(files.values());
    }

    /** {@code srv/a}, {@code ./srv/a} or {@code /srv/a/} as the image path {@code /srv/a}. */
    static String imagePath(String tarName) {
        String path = "/" + tarName.replaceFirst("^\\./", "").replaceFirst("^/+", "");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** True (and the path it removes removed, with all below it) when {@code path} names a whiteout. */
    private boolean whiteout(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!name.startsWith(".wh.")) {
            return false;
        }
        String removed = path.substring(0, path.lastIndexOf('/') + 1) + name.substring(4);
        files.keySet().removeIf(known -> known.equals(removed) || known.startsWith(removed + "/"));
        return true;
    }

    private void putOrRemove(String path, AddedFile file) {
        if (file == null) {
            files.remove(path);
        } else {
            files.put(path, file);
        }
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
