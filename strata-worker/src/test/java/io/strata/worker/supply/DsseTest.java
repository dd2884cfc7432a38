package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class DsseTest {
    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void preAuthenticationEncodingIsTheSpecsExample() {
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void anEnvelopeVerifiesWithItsKeyOnly() throws Exception {
        KeyPair key = p256();
        byte[] envelope = Dsse.sign("application/vnd.in-toto+json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                key.getPrivate(), "");

        assertThat(Dsse.verifies(envelope, key.getPublic())).isTrue();
        assertThat(Dsse.verifies(envelope, p256().getPublic())).isFalse();
        assertThat(Dsse.open(envelope)).get().satisfies(opened -> {
            assertThat(opened.payloadType()).isEqualTo("application/vnd.in-toto+json");
            assertThat(new String(opened.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        });
    }

    @Test
    void aChangedPayloadOrTypeNoLongerVerifies() throws Exception {
        KeyPair key = p256();
        String envelope = new String(Dsse.sign("application/vnd.in-toto+json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                key.getPrivate(), ""), StandardCharsets.UTF_8);
        String otherPayload = envelope.replace(java.util.Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                java.util.Base64.getEncoder().encodeToString("{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        String otherType = envelope.replace("application/vnd.in-toto+json", "application/json");

        assertThat(otherPayload).isNotEqualTo(envelope);
        assertThat(Dsse.verifies(otherPayload.getBytes(StandardCharsets.UTF_8), key.getPublic())).isFalse();
        assertThat(Dsse.verifies(otherType.getBytes(StandardCharsets.UTF_8), key.getPublic())).isFalse();
        assertThat(Dsse.open("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
