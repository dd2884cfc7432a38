package io.strata.registry;

import java.util.Optional;

/**
 * Checks that manifest bytes are what was asked for. A manifest's digest is the hash of its bytes:
 * when the reference is pinned they must hash to its digest, and when the registry reports
 * {@code Docker-Content-Digest} it must agree.
 */
final class ManifestVerifier {
    private static final String DIGEST_HEADER = "Docker-Content-Digest";

    private ManifestVerifier() {}

    /** The verified digest of the response body. */
    static String verifiedDigest(ImageReference image, RegistryResponse response) throws RegistryException {
        Optional<String> pinned = image.digest();
        String actual = pinned.isPresent()
                ? Digests.sameAlgorithmAs(pinned.get(), response.body())
                : Digests.sha256(response.body());
        if (pinned.isPresent() && !pinned.get().equals(actual)) {
            throw mismatch(image, "the manifest bytes hash to " + actual);
        }
        Optional<String> reported = response.header(DIGEST_HEADER);
        if (reported.isPresent() && sameAlgorithm(reported.get(), actual) && !reported.get().equals(actual)) {
            throw mismatch(image, "the registry reports " + reported.get() + " but the bytes hash to " + actual);
        }
        return actual;
    }

    private static boolean sameAlgorithm(String one, String other) {
        int colon = one.indexOf(':');
        return colon > 0 && other.startsWith(one.substring(0, colon + 1));
    }

    private static RegistryException mismatch(ImageReference image, String detail) {
        return new RegistryException(RegistryException.Reason.DIGEST_MISMATCH,
                "manifest of " + image + " failed verification: " + detail,
                "the registry or something between it and us altered the content; check proxies and the registry's storage");
    }
}
