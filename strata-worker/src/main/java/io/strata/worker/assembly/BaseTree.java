package io.strata.worker.assembly;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Which paths a base image has and of what kind, read from its layer tars (headers only, contents
 * skipped) with whiteouts applied. A COPY needs it where buildah looks into the image: a
 * destination without a trailing slash that may be a directory, and the owner of the directories a
 * COPY --chown creates. Paths have no leading slash.
 */
final class BaseTree {
    enum Kind { DIRECTORY, SYMLINK, OTHER }

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final NavigableMap<String, Kind> paths = new TreeMap<>();
    /** The base image's configured USER ("" for none), which owns the directories a WORKDIR makes. */
    private String user = "";

    static BaseTree empty() {
        return new BaseTree();
    }

    /** An independent copy, for the next build on the same base. */
    BaseTree copy() {
        BaseTree copy = new BaseTree();
        copy.paths.putAll(paths);
        copy.user = user;
        return copy;
    }

    BaseTree withUser(String value) {
        this.user = value == null ? "" : value;
        return this;
    }

    String user() {
        return user;
    }

    /** Applies one layer (gzip or plain tar) on top of what is there. */
    void apply(InputStream layer) throws IOException {
        InputStream in = new BufferedInputStream(layer, 64 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
        }
        byte[] header = new byte[512];
        String longName = null;
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            char type = (char) header[156];
            long size = parseOctal(header, 124, 12);
            String name = longName != null ? longName : name(header);
            longName = null;
            if (type == 'g') {
                skip(in, size + padding(size));
                continue;
            }
            if (type == 'L' || type == 'x') {
                byte[] data = in.readNBytes((int) size);
                skip(in, padding(size));
                longName = type == 'L' ? new String(data, StandardCharsets.UTF_8).replace("\0", "") : paxPath(data);
                continue;
            }
            skip(in, size + padding(size));
            record(normalized(name), type);
        }
    }

    private void record(String path, char type) {
        if (path.isEmpty()) {
            return;
        }
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        if (base.equals(OPAQUE)) {
            removeChildren(parent);
        } else if (base.startsWith(WHITEOUT)) {
            String removed = (parent.isEmpty() ? "" : parent + "/") + base.substring(WHITEOUT.length());
            paths.remove(removed);
            removeChildren(removed);
        } else {
            paths.put(path, type == '5' ? Kind.DIRECTORY : type == '2' ? Kind.SYMLINK : Kind.OTHER);
        }
    }

    private void removeChildren(String directory) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        if (prefix.isEmpty()) {
            paths.clear();
        } else {
            paths.subMap(prefix, true, directory + "0", false).clear();
        }
    }

    /** The kind at {@code path} (no leading slash), or null when the image has nothing there. */
    Kind kind(String path) {
        return paths.get(path);
    }

    /** Records a directory a planned layer makes. */
    void addDirectory(String path) {
        paths.put(path, Kind.DIRECTORY);
    }

    /** Records what a planned layer writes. */
    void addAll(Map<String, LayerEntry> entries) {
        entries.forEach((path, entry) -> paths.put(path, switch (entry) {
            case LayerEntry.Directory d -> Kind.DIRECTORY;
            case LayerEntry.Symlink s -> Kind.SYMLINK;
            case LayerEntry.RegularFile f -> Kind.OTHER;
        }));
    }

    private static String normalized(String name) {
        String path = name;
        while (path.startsWith("./") || path.startsWith("/")) {
            path = path.startsWith("./") ? path.substring(2) : path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(".") ? "" : path;
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        String prefix = header[257] == 'u' ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] header, int offset, int length) {
        if ((header[offset] & 0x80) != 0) {
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        String text = field(header, offset, length).trim();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }

    private static long padding(long size) {
        return (512 - size % 512) % 512;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        in.skipNBytes(bytes);
    }
}
