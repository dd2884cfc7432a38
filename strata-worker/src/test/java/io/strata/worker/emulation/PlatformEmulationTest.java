package io.strata.worker.emulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.registry.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native, emulated or refused with the fix, judged from a binfmt_misc directory laid out by the test. */
class PlatformEmulationTest {
    private static final Platform AMD64 = Platform.linux("amd64");

    @TempDir
    Path binfmt;

    @Test
    void theMachinesOwnPlatformRunsNativelyWithoutAnyHandler() throws StrataException {
        assertThat(new PlatformEmulation(AMD64, binfmt).modeFor(Platform.linux("amd64")))
                .isEqualTo(PlatformEmulation.Mode.NATIVE);
    }

    @Test
    void aForeignPlatformWithAnEnabledHandlerRunsEmulatedAndTheLogSaysSo() throws Exception {
        Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n");
        PlatformEmulation emulation = new PlatformEmulation(AMD64, binfmt);

        PlatformEmulation.Mode mode = emulation.modeFor(Platform.linux("arm64"));

        assertThat(mode).isEqualTo(PlatformEmulation.Mode.EMULATED);
        assertThat(emulation.describe(Platform.linux("arm64"), mode)).contains("runs emulated", "qemu-aarch64");
    }

    @Test
    void aMissingOrDisabledHandlerIsRefusedWithTheFix() throws IOException {
        Files.writeString(binfmt.resolve("qemu-s390x"), "disabled\n");
        PlatformEmulation emulation = new PlatformEmulation(AMD64, binfmt);

        for (String arch : new String[] {"s390x", "ppc64le"}) {
            assertThatThrownBy(() -> emulation.modeFor(Platform.linux(arch)))
                    .isInstanceOfSatisfying(StrataException.class, e -> {
                        assertThat(e.reason()).isEqualTo("PLATFORM_EMULATION_UNAVAILABLE");
                        assertThat(e.getMessage()).contains(binfmt.toString(), arch);
                        assertThat(e.hint()).contains("scripts/install-deps", "qemu-user-static", "/usr/lib/binfmt.d/qemu-");
                    });
        }
    }
}
