package io.strata.registry;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** A registry's answer after authentication was dealt with. */
record RegistryResponse(int status, HttpHeaders headers, byte[] body) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
