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
 * larger one is refused before it is read whole), refusing unknown fields and wrong types with the
 * field's name.
 */
final class JsonBody {
    /** 1 MiB: a build request is a few hundred bytes; nothing legitimate comes near. */
    static final int MAX_BYTES = 1 << 20;

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
        if (declared > MAX_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw tooLarge(-1);
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(400, ServerReasons.REQUEST_JSON_MALFORMED, "the body cannot be read: " + e.getMessage(),
                    "send the body again");
        }
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
