package io.strata.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.javalin.http.Context;
import io.strata.server.api.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

/**
 * Reads a request body as one JSON document of a record type, at most {@link #MAX_BYTES} of it (a
 * larger one is refused, and dropped as it arrives), refusing unknown fields and wrong types with the
 * field's name.
 */
final class JsonBody {
    /** 1 MiB: a build request is a few hundred bytes; nothing legitimate comes near. */
    static final int MAX_BYTES = 1 << 20;

    /** What is read and dropped of a refused body so that the client gets the 413 (see {@link #refuse}). */
    static final long DRAIN_LIMIT = 32L << 20;

    private JsonBody() {}

    static <T> T read(Context ctx, Class<T> type) throws ApiException {
        byte[] body = bounded(ctx);
        if (body.length == 0 || body[firstNonSpace(body)] != '{') {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED, "the body is not a JSON object",
                    "send the request as one JSON object, e.g. {\"component\": \"...\", \"git_uri\": \"...\", ...}");
        }
        try {
            return ApiJson.MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new ApiException(400, ServerReasons.REQUEST_FIELD_UNKNOWN,
                    "the request has a field '" + e.getPropertyName() + "' that builds do not have",
                    "use only the fields " + known + " (docs/service.md)");
        } catch (JsonParseException e) {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED,
                    "the body is not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
                    "send one JSON object");
        } catch (MismatchedInputException e) {
            throw new ApiException(400, ServerReasons.REQUEST_FIELD_INVALID,
                    "the field '" + path(e) + "' has the wrong type: " + e.getOriginalMessage(),
                    "strings for text, lists of strings for platforms and yum_repourls, objects of strings for"
                            + " labels and build_args, true/false for scratch and isolated, numbers for koji_task_id and priority");
        } catch (JacksonException e) {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED, "the body cannot be read: "
                    + e.getOriginalMessage(), "send one JSON object");
        } catch (IOException e) {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED, "the body cannot be read: " + e.getMessage(),
                    "send the body again");
        }
    }

    private static byte[] bounded(Context ctx) throws ApiException {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BYTES) {
                throw refuse(ctx, in, declared);
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw refuse(ctx, in, -1);
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED, "the body cannot be read: " + e.getMessage(),
                    "send the body again");
        }
    }

    /**
     * Takes in (and drops) what the client is still sending, up to {@link #DRAIN_LIMIT}, before the
     * 413 goes out: a socket closed on unread bytes is reset, and the client, still writing, would
     * see a broken connection instead of the answer. A body beyond the limit is cut off with the
     * connection closed: reading it all would let one client hold a request thread for as long as
     * it likes to send.
     */
    private static ApiException refuse(Context ctx, InputStream in, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            long dropped = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; dropped <= DRAIN_LIMIT && (n = in.read(sink)) >= 0; ) {
                dropped += n;
            }
        }
        ctx.header("Connection", "close");
        return tooLarge(declared);
    }

    private static ApiException tooLarge(long declared) {
        return new ApiException(413, ServerReasons.REQUEST_TOO_LARGE,
                "the body is larger than " + MAX_BYTES + " bytes" + (declared > 0 ? " (" + declared + ")" : ""),
                "a build request is a small JSON object; send only the request's fields");
    }

    private static int firstNonSpace(byte[] body) {
        int i = 0;
        while (i < body.length - 1 && Character.isWhitespace(body[i])) {
            i++;
        }
        return i;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
