package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    @TempDir
    Path dir;

    private Path pem(String name, String label, byte[] der) throws Exception {
        return Files.writeString(dir.resolve(name), "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label + "-----\n");
    }

    @Test
    void readsAP256KeyPairFromPem() throws Exception {
        KeyPair pair = DsseTest.p256();
        Path privateKey = pem("key.pem", "PRIVATE KEY", pair.getPrivate().getEncoded());
        Path publicKey = pem("key.pub", "PUBLIC KEY", pair.getPublic().getEncoded());

        byte[] envelope = Dsse.sign("t", new byte[] {1}, SigningKeys.readPrivate(privateKey), "");
        assertThat(Dsse.verifies(envelope, SigningKeys.readPublic(publicKey))).isTrue();
        assertThat(SigningKeys.fingerprint(SigningKeys.readPublic(publicKey))).hasSize(64);
    }

    @Test
    void refusesOtherCurvesOlderFormsAndNonKeysWithAFix() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        Path p384 = pem("p384.pem", "PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());
        Path sec1 = pem("sec1.pem", "EC PRIVATE KEY", new byte[] {1, 2, 3});
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a key");

        assertThatThrownBy(() -> SigningKeys.readPrivate(p384)).isInstanceOf(StrataException.class)
                .hasMessageContaining("another curve than P-256");
        assertThatThrownBy(() -> SigningKeys.readPrivate(sec1)).isInstanceOf(StrataException.class)
                .hasMessageContaining("SEC1").satisfies(e -> assertThat(((StrataException) e).hint()).contains("openssl pkcs8 -topk8"));
        assertThatThrownBy(() -> SigningKeys.readPublic(text)).isInstanceOf(StrataException.class)
                .hasMessageContaining("holds no PEM block -----BEGIN PUBLIC KEY-----");
        assertThatThrownBy(() -> SigningKeys.readPrivate(dir.resolve("missing.pem"))).isInstanceOf(StrataException.class)
                .hasMessageNotContaining("Exception")
                .satisfies(e -> assertThat(((StrataException) e).reason()).isEqualTo("SIGNING_KEY_INVALID"));
    }
}
