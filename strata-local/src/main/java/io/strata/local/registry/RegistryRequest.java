package io.strata.local.registry;

import java.util.List;

/**
 * One call to a registry's v2 API.
 *
 * @param method HTTP method: GET, HEAD or DELETE
 * @param image  which registry and repository; its tag and digest play no part in the URL
 * @param path   path below {@code /v2/<repository>/}, e.g. {@code manifests/latest}
 * @param accept media types to accept (empty for none)
 * @param action the token scope action this call needs: {@code pull} or {@code delete}
 */
record RegistryRequest(String method, ImageReference image, String path, List<String> accept, String action) {

    RegistryRequest {
        accept = List.copyOf(accept);
    }

    static RegistryRequest manifest(String method, ImageReference image, String reference) {
        String action = method.equals("DELETE") ? "delete" : "pull";
        return new RegistryRequest(method, image, "manifests/" + reference, MediaTypes.ACCEPTED, action);
    }

    /** The docker token protocol scope for this call, e.g. {@code repository:team/app:pull}. */
    String scope() {
        return "repository:" + image.repository() + ":" + action;
    }

    /** For messages: method and path, never headers. */
    String describe() {
        return method + " /v2/" + image.repository() + "/" + path;
    }
}
