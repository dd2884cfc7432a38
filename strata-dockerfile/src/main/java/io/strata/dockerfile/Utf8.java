package io.strata.dockerfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Reading a Dockerfile's bytes: regular files only, strict UTF-8 with the place of the first bad byte. */
final class Utf8 {
    private Utf8() {}

    static String decode(byte[] bytes) throws DockerfileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new DockerfileException(line, DockerfileException.NOT_UTF8,
                    String.format("not UTF-8: byte 0x%02X at byte offset %d is not valid UTF-8", bytes[offset] & 0xff,
                            offset),
                    "save the Dockerfile as UTF-8 (for example: iconv -f latin1 -t utf-8)");
        }
        out.flip();
        return out.toString();
    }

    /** The bytes of {@code path}, after making sure it is a regular file (opening a FIFO would block). */
    static byte[] readRegularFile(Path path) throws IOException, DockerfileException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            String what = attributes.isDirectory() ? "a directory" : "a FIFO, device or socket";
            throw new DockerfileException(0, DockerfileException.NOT_REGULAR_FILE, "not a regular file (" + what + ")",
                    "give the path of the Dockerfile itself");
        }
        return Files.readAllBytes(path);
    }
}
