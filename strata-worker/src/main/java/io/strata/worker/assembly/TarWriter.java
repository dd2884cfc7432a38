package io.strata.worker.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a POSIX (pax) tar stream: ustar headers, with a pax extended header in front of an entry
 * whose name, link target, size or owner does not fit ustar's fields. Every entry gets the same
 * modification time and numeric owners only (no user or group names), so the same files always give
 * the same bytes. The caller writes entries in the order they should appear. File content goes out
 * in pieces of 64 KiB; a piece that looks random is marked so to a sink that is {@link Incompressible}.
 */
final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    private static final byte[] ZEROS = new byte[BLOCK];
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final int MAX_OCTAL_7 = 07777777;

    /** File content goes out in pieces of this size, each stored or deflated as it looks ({@link Incompressible}). */
    static final int PIECE = 64 * 1024;

    private final OutputStream out;
    private final long modifiedSeconds;
    private final byte[] copyBuffer = new byte[PIECE];

    TarWriter(OutputStream out, long modifiedSeconds) {
        this.out = out;
        this.modifiedSeconds = modifiedSeconds;
    }

    void directory(String name, int mode, int uid, int gid) throws IOException {
        header(name.endsWith("/") ? name : name + "/", '5', mode, uid, gid, 0, "");
    }

    void symlink(String name, String target, int uid, int gid) throws IOException {
        header(name, '2', 0777, uid, gid, 0, target);
    }

    /** A file whose content was read already; {@code content} must hold at least {@code size} bytes. */
    void file(String name, int mode, int uid, int gid, long size, byte[] content) throws IOException {
        if (content.length < size) {
            throw new IOException(name + " became shorter while it was being read (" + (size - content.length)
                    + " bytes missing)");
        }
        header(name, '0', mode, uid, gid, size, "");
        for (int at = 0; at < size; at += PIECE) {
            content(content, at, (int) Math.min(PIECE, size - at));
        }
        pad(size);
    }

    void file(String name, int mode, int uid, int gid, long size, InputStream content) throws IOException {
        header(name, '0', mode, uid, gid, size, "");
        long left = size;
        while (left > 0) {
            // Whole pieces (readNBytes fills them), so where pieces start, and so what is stored, is fixed by the file.
            int want = (int) Math.min(copyBuffer.length, left);
            int read = content.readNBytes(copyBuffer, 0, want);
            if (read < want) {
                throw new IOException(name + " became shorter while it was being read (" + (left - read)
                        + " bytes missing)");
            }
            content(copyBuffer, 0, read);
            left -= read;
        }
        pad(size);
    }

    /** One piece of a file's content: stored when the sink can and it looks random, else written as it is. */
    private void content(byte[] bytes, int offset, int length) throws IOException {
        if (out instanceof Incompressible sink && Incompressible.looksRandom(bytes, offset, length)) {
            sink.writeIncompressible(bytes, offset, length);
        } else {
            out.write(bytes, offset, length);
        }
    }

    /** Two zero blocks end the archive; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(ZEROS);
        out.write(ZEROS);
        out.flush();
    }

    private void header(String name, char type, int mode, int uid, int gid, long size, String link) throws IOException {
        Map<String, String> pax = new LinkedHashMap<>();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        String ustarName = name;
        String prefix = "";
        if (nameBytes.length > 100) {
            int split = prefixSplit(name);
            if (split < 0) {
                pax.put("path", name);
                ustarName = truncated(name, 100);
            } else {
                prefix = name.substring(0, split);
                ustarName = name.substring(split + 1);
            }
        }
        if (linkBytes.length > 100) {
            pax.put("linkpath", link);
            link = truncated(link, 100);
        }
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
        }
        if (uid > MAX_OCTAL_7 || uid < 0) {
            pax.put("uid", Integer.toUnsignedString(uid));
        }
        if (gid > MAX_OCTAL_7 || gid < 0) {
            pax.put("gid", Integer.toUnsignedString(gid));
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            writeHeader("PaxHeaders/" + truncated(ustarName, 80), "", 'x', 0644, 0, 0, records.length, "");
            out.write(records);
            pad(records.length);
        }
        writeHeader(ustarName, prefix, type, mode, uid, gid, size, link);
    }

    private void writeHeader(String name, String prefix, char type, int mode, int uid, int gid, long size, String link)
            throws IOException {
        byte[] block = new byte[BLOCK];
        put(block, 0, 100, name);
        octal(block, 100, 8, mode & 07777);
        octal(block, 108, 8, uid > MAX_OCTAL_7 || uid < 0 ? 0 : uid);
        octal(block, 116, 8, gid > MAX_OCTAL_7 || gid < 0 ? 0 : gid);
        octal(block, 124, 12, size > MAX_OCTAL_11 ? 0 : size);
        octal(block, 136, 12, modifiedSeconds);
        block[156] = (byte) type;
        put(block, 157, 100, link);
        put(block, 257, 6, "ustar");
        block[263] = '0';
        block[264] = '0';
        put(block, 345, 155, prefix);
        java.util.Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        octal(block, 148, 7, sum);
        block[155] = ' ';
        out.write(block);
    }

    /** Where to cut a long name into ustar's prefix (≤ 155 bytes) and name (≤ 100 bytes), or -1. */
    private static int prefixSplit(String name) {
        if (name.length() != name.getBytes(StandardCharsets.UTF_8).length) {
            return -1;
        }
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
            if (i <= 155 && name.length() - i - 1 <= 100 && name.length() - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] paxRecords(Map<String, String> values) {
        StringBuilder all = new StringBuilder();
        values.forEach((key, value) -> {
            String body = " " + key + "=" + value + "\n";
            int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
            int length = bodyLength + Integer.toString(bodyLength).length();
            if (Integer.toString(length).length() > Integer.toString(bodyLength).length()) {
                length++;
            }
            all.append(length).append(body);
        });
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String truncated(String text, int bytes) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        return all.length <= bytes ? text : new String(all, 0, bytes, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "_");
    }

    private static void put(byte[] block, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, block, offset, Math.min(bytes.length, length));
    }

    /** {@code value} as {@code length - 1} zero-padded octal digits (callers keep it within them), then the NUL already there. */
    private static void octal(byte[] block, int offset, int length, long value) {
        long rest = value;
        for (int i = offset + length - 2; i >= offset; i--) {
            block[i] = (byte) ('0' + (rest & 7));
            rest >>>= 3;
        }
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(ZEROS, 0, BLOCK - rest);
        }
    }
}
