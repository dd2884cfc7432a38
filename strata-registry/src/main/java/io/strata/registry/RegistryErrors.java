package io.strata.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns a registry's unsuccessful answer into a {@link RegistryException} with the registry's own words. */
final class RegistryErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_FOUND_CODES = Set.of("MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN");
    /** A manifest PUT's answer when the registry could not read a blob it names ({@link #blobUnread}). */
    private static final Set<String> UNREAD_BLOB_CODES = Set.of("MANIFEST_BLOB_UNKNOWN", "DIGEST_INVALID");
    private static final int MAX_PLAIN_BODY = 200;

    /** The distribution spec's error body: {@code {"errors":[{"code":..,"message":..}]}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(List<ErrorJson> errors) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorJson(String code, String message) {}

    private RegistryErrors() {}

    static RegistryException fromResponse(RegistryRequest request, RegistryResponse response) {
        List<ErrorJson> errors = errorsIn(response.body());
        ImageReference image = request.image();
        boolean notFound = response.status() == 404
                || errors.stream().anyMatch(error -> NOT_FOUND_CODES.contains(error.code()));
        if (notFound) {
            return new RegistryException(RegistryException.Reason.IMAGE_NOT_FOUND,
                    "image " + image + " not found in registry " + image.registry() + describe(errors, ""),
                    "check the repository name and the tag or digest (skopeo inspect docker://" + image
                            + " shows what the registry has), or push the image first");
        }
        if (response.status() == 405) {
            return new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                    "registry " + image.registry() + " does not allow " + request.describe() + describe(errors, ""),
                    "for deletes, the registry must run with deletion enabled"
                            + " (distribution: storage.delete.enabled: true)");
        }
        String plainBody = errors.isEmpty() ? plainText(response.body()) : "";
        boolean passing = response.status() >= 500 || response.status() == 429;
        return new RegistryException(RegistryException.Reason.REGISTRY_ERROR,
                "registry " + image.registry() + " answered HTTP " + response.status() + " to " + request.describe()
                        + describe(errors, plainBody),
                response.status() >= 500
                        ? "the registry failed on its side; retry, and check the registry's log if it persists"
                        : "check the registry's log for why it refused the request",
                null, passing ? "HTTP " + response.status() : null);
    }

    /**
     * Whether a manifest PUT was refused only because the registry could not read a blob it names:
     * {@code MANIFEST_BLOB_UNKNOWN}, with at most distribution's {@code DIGEST_INVALID} for a blob
     * link it read empty beside it.
     */
    static boolean blobUnread(RegistryResponse response) {
        if (response.status() != 400) {
            return false;
        }
        List<String> codes = errorsIn(response.body()).stream().map(ErrorJson::code).toList();
        return codes.contains("MANIFEST_BLOB_UNKNOWN") && UNREAD_BLOB_CODES.containsAll(codes);
    }

    private static List<ErrorJson> errorsIn(byte[] body) {
        if (body.length == 0) {
            return List.of();
        }
        try {
            ErrorBody parsed = JSON.readValue(body, ErrorBody.class);
            return parsed.errors() == null ? List.of() : parsed.errors();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String describe(List<ErrorJson> errors, String plainBody) {
        if (errors.isEmpty()) {
            return plainBody.isEmpty() ? "" : ": " + plainBody;
        }
        return errors.stream()
                .map(error -> error.code() + (error.message() == null ? "" : " (" + error.message() + ")"))
                .collect(Collectors.joining(", ", ": ", ""));
    }

    private static String plainText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_PLAIN_BODY ? text : text.substring(0, MAX_PLAIN_BODY) + "...";
    }

    /** Used by both registry and token-service failures: an unreachable host, with what to check. */
    static RegistryException unreachable(String host, String what, Throwable cause) {
        return unreachable(host, what, cause, false);
    }

    /** As {@link #unreachable(String, String, Throwable)}; {@code passing} when it may go away (refused, reset, timed out). */
    static RegistryException unreachable(String host, String what, Throwable cause, boolean passing) {
        return new RegistryException(RegistryException.Reason.REGISTRY_UNREACHABLE,
                "cannot reach " + host + ": " + what,
                "check that the registry is running and that " + host + " (host and port) is right and reachable"
                        + " from this machine; for a registry without TLS, list it as an insecure registry",
                cause, passing ? what : null);
    }

    static RegistryException authFailed(ImageReference image, String what, RegistryAuthFile authFile) {
        return new RegistryException(RegistryException.Reason.REGISTRY_AUTH_FAILED,
                "registry " + image.registry() + " refused access to " + image.repository() + ": " + what,
                "check the credentials for " + image.registry() + " in " + authFile.describe()
                        + " (log in again with 'skopeo login " + image.registry() + "'), or set $"
                        + RegistryAuthFile.AUTH_FILE_VARIABLE + " to the auth file that has them");
    }
}
