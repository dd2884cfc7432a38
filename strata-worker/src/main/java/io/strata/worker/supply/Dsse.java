package io.strata.worker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * DSSE envelopes (github.com/secure-systems-lab/dsse, v1): the signature covers the
 * pre-authentication encoding {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, never
 * the JSON around it. Signatures are ECDSA P-256 with SHA-256 in ASN.1 DER form, as cosign and
 * {@code openssl dgst -sha256 -sign} make them.
 */
public final class Dsse {
    public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An envelope read back: its payload type and payload, and whether a signature verified. */
    public record Opened(String payloadType, byte[] payload, int signatures) {}

    private Dsse() {}

    public static byte[] sign(String payloadType, byte[] payload, PrivateKey key, String keyId) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("payloadType", payloadType);
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        ObjectNode signature = envelope.putArray("signatures").addObject();
        signature.put("keyid", keyId);
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update(pae(payloadType, payload));
            signature.put("sig", Base64.getEncoder().encodeToString(ecdsa.sign()));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not sign with an EC key it read", e);
        }
    }

    /** The envelope's parts; empty when it is not a DSSE envelope at all. */
    public static Optional<Opened> open(byte[] envelope) {
        try {
            JsonNode json = JSON.readTree(envelope);
            if (json == null || !json.path("payload").isTextual() || !json.path("payloadType").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Opened(json.path("payloadType").asText(),
                    Base64.getDecoder().decode(json.path("payload").asText()), json.path("signatures").size()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether any signature of the envelope verifies with {@code key}. */
    public static boolean verifies(byte[] envelope, PublicKey key) {
        try {
            JsonNode json = JSON.readTree(envelope);
            byte[] payload = Base64.getDecoder().decode(json.path("payload").asText());
            byte[] pae = pae(json.path("payloadType").asText(), payload);
            for (JsonNode signature : json.path("signatures")) {
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initVerify(key);
                ecdsa.update(pae);
                try {
                    if (ecdsa.verify(Base64.getDecoder().decode(signature.path("sig").asText()))) {
                        return true;
                    }
                } catch (java.security.SignatureException malformed) {
                    // a signature that is not DER is simply not a valid one; try the next
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** The pre-authentication encoding the signature covers. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + payload.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }
}
