package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BuildahOptionsTest {
    @Test
    void systemDefaultOverridesNothingAndVerifiesTls() {
        BuildahOptions options = BuildahOptions.systemDefault();

        assertThat(options.globalArguments()).isEmpty();
        assertThat(options.registryArguments()).containsExactly("--tls-verify=true");
    }

    @Test
    void privateStorageAndAuthFileBecomeArguments() {
        BuildahOptions options = new BuildahOptions(Path.of("/s/root"), Path.of("/s/run"), "vfs", null, true)
                .withAuthFile(Path.of("/s/auth.json")).withTlsVerify(false);

        assertThat(options.globalArguments())
                .containsExactly("--root", "/s/root", "--runroot", "/s/run", "--storage-driver", "vfs");
        assertThat(options.registryArguments()).containsExactly("--tls-verify=false", "--authfile", "/s/auth.json");
    }
}
