package io.strata.worker.supply;

import io.strata.core.StrataException;
import io.strata.core.io.TextFiles;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * ECDSA P-256 keys from PEM files, with the JDK's crypto only: a private key as unencrypted PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey -algorithm EC -pkeyopt
 * ec_paramgen_curve:P-256} writes), a public key as X.509 SubjectPublicKeyInfo
 * ({@code -----BEGIN PUBLIC KEY-----}, what {@code openssl pkey -pubout} writes). Anything else
 * is refused with a message saying how to convert it.
 */
public final class SigningKeys {
    public static final String KEY_INVALID = "SIGNING_KEY_INVALID";

    private SigningKeys() {}

    public static PrivateKey readPrivate(Path file) throws StrataException {
        String pem = read(file);
        if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw invalid(file, "is an EC key in the older SEC1 form (BEGIN EC PRIVATE KEY)",
                    "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw invalid(file, "is encrypted", "give an unencrypted copy readable by Strata only (chmod 600): "
                    + "openssl pkcs8 -in " + file + " -out KEY.pem");
        }
        byte[] der = der(file, pem, "PRIVATE KEY");
        try {
            return requireP256(file, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            // The JDK's message names its own classes; what the user needs is what the file should be.
            throw invalid(file, "holds no EC private key in PKCS#8 form", generateHint());
        }
    }

    public static PublicKey readPublic(Path file) throws StrataException {
        byte[] der = der(file, read(file), "PUBLIC KEY");
        try {
            return requireP256(file, KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw invalid(file, "holds no EC public key in X.509 SubjectPublicKeyInfo form",
                    "export the public key of the signing key: openssl pkey -in PRIVATE.pem -pubout -out " + file);
        }
    }

    /** SHA-256 of the public key's DER form, in hex: how messages and reports name a key. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static <K extends java.security.Key> K requireP256(Path file, K key) throws StrataException {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
            ECParameterSpec actual = ((ECKey) key).getParams();
            if (actual.getOrder().equals(p256.getOrder()) && actual.getGenerator().equals(p256.getGenerator())) {
                return key;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK knows the curve secp256r1", e);
        }
        throw invalid(file, "is an EC key on another curve than P-256", generateHint());
    }

    private static String read(Path file) throws StrataException {
        try {
            return TextFiles.readUtf8(file);
        } catch (TextFiles.UnreadableTextException e) {
            throw invalid(file, e.problem(), e.fix());
        }
    }

    private static byte[] der(Path file, String pem, String label) throws StrataException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw invalid(file, "holds no PEM block " + begin, label.equals("PUBLIC KEY")
                    ? "export the public key of the signing key: openssl pkey -in PRIVATE.pem -pubout -out " + file
                    : generateHint());
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw invalid(file, "has a PEM block that is not base64", generateHint());
        }
    }

    private static String generateHint() {
        return "make a P-256 key with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing.pem";
    }

    private static StrataException invalid(Path file, String problem, String hint) {
        return new StrataException(KEY_INVALID, "the key file " + file + " " + problem, hint);
    }
}
