package io.strata.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests in the registry's {@code algorithm:hex} form. */
final class Digests {
    private Digests() {}

    static String sha256(byte[] content) {
        return of("sha256", content);
    }

    /** The digest of {@code content} with the algorithm {@code likeDigest} uses (sha256 or sha512). */
    static String sameAlgorithmAs(String likeDigest, byte[] content) {
        return of(likeDigest.substring(0, likeDigest.indexOf(':')), content);
    }

    private static String of(String algorithm, byte[] content) {
        String javaName = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        };
        try {
            return algorithm + ":" + HexFormat.of().formatHex(MessageDigest.getInstance(javaName).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + javaName, e);
        }
    }
}
