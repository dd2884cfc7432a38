package io.strata.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Reads a user's text file (osbs.conf, reactor config, streams.yml, kubeconfig, ...) as UTF-8 and
 * says precisely why it cannot: missing, a directory, not a regular file (a FIFO would block the
 * read forever), unreadable, or not UTF-8 at a given byte offset. The JDK's own message for the
 * last case ("Input length = 4") tells a user nothing. Each caller turns the problem into its own
 * reason code.
 */
public final class TextFiles {
    private TextFiles() {}

    /** Why a file could not be read as text: {@link #problem()} completes "FILE ...", {@link #fix()} says what to do. */
    public static final class UnreadableTextException extends Exception {
        private static final long serialVersionUID = 1L;

        /** What kind of problem, so a caller can pick a reason code. */
        public enum Kind { MISSING, DIRECTORY, NOT_A_FILE, NOT_UTF8, UNREADABLE }

        private final Kind kind;
        private final String problem;
        private final String fix;

        UnreadableTextException(Kind kind, String problem, String fix, Throwable cause) {
            super(problem, cause);
            this.kind = kind;
            this.problem = problem;
            this.fix = fix;
        }

        public Kind kind() {
            return kind;
        }

        /** E.g. "is not UTF-8 text: invalid byte 0xff at offset 12 (line 1)". */
        public String problem() {
            return problem;
        }

        public String fix() {
            return fix;
        }
    }

    public static String readUtf8(Path file) throws UnreadableTextException {
        if (Files.isDirectory(file)) {
            throw new UnreadableTextException(UnreadableTextException.Kind.DIRECTORY, "is a directory, not a file",
                    "give the path of the file itself, not of the directory holding it", null);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UnreadableTextException(UnreadableTextException.Kind.NOT_A_FILE,
                    "is not a regular file (a pipe, socket or device)", "give the path of a regular file", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnreadableTextException(UnreadableTextException.Kind.MISSING, "does not exist",
                    "check the path", e);
        } catch (AccessDeniedException e) {
            throw new UnreadableTextException(UnreadableTextException.Kind.UNREADABLE, "cannot be read: permission denied",
                    "make the file readable by this user", e);
        } catch (IOException e) {
            throw new UnreadableTextException(UnreadableTextException.Kind.UNREADABLE, "cannot be read: " + e.getMessage(),
                    "make the file readable by this user", e);
        }
        return decodeUtf8(bytes);
    }

    /** Decodes strictly; the offset of the first bad byte is in the problem. */
    public static String decodeUtf8(byte[] bytes) throws UnreadableTextException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new UnreadableTextException(UnreadableTextException.Kind.NOT_UTF8,
                    "is not UTF-8 text: invalid byte 0x" + HexFormat.of().toHexDigits(bytes[offset]) + " at offset " + offset
                            + " (line " + lineAt(bytes, offset) + ")",
                    "save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)", null);
        }
        return out.flip().toString();
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
