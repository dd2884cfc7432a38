package io.strata.worker.emulation;

import io.strata.core.StrataException;
import io.strata.registry.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether this machine can run a platform's binaries, which buildah needs for the RUN steps of a
 * foreign platform: natively (the machine's own CPU) or under QEMU user emulation, which the kernel
 * starts for a foreign ELF binary when {@code binfmt_misc} has an enabled handler for it (Debian's
 * {@code qemu-user-static} registers {@code qemu-aarch64}, {@code qemu-s390x}, ...). The launcher's
 * install step ({@code scripts/install-deps}) installs and registers them when run as root.
 */
public final class PlatformEmulation {
    /** The reason of a foreign platform this machine cannot run. */
    public static final String UNAVAILABLE = "PLATFORM_EMULATION_UNAVAILABLE";
    /** Where the kernel shows its handlers. */
    public static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

    /** The handler names qemu-user-static registers, per OCI architecture. */
    private static final Map<String, String> QEMU_NAMES = Map.of(
            "amd64", "x86_64", "arm64", "aarch64", "s390x", "s390x", "ppc64le", "ppc64le");

    /** How a platform's binaries run here. */
    public enum Mode { NATIVE, EMULATED }

    private final Platform machine;
    private final Path binfmtMisc;

    public PlatformEmulation(Platform machine, Path binfmtMisc) {
        this.machine = machine;
        this.binfmtMisc = binfmtMisc;
    }

    /** This machine, as the kernel shows it. */
    public static PlatformEmulation ofThisMachine() {
        return new PlatformEmulation(Platform.current(), BINFMT_MISC);
    }

    /**
     * How {@code target}'s binaries run here, or PLATFORM_EMULATION_UNAVAILABLE with the fix when
     * they cannot: no enabled handler (binfmt_misc not mounted, qemu-user-static not installed or
     * not registered).
     */
    public Mode modeFor(Platform target) throws StrataException {
        if (target.architecture().equals(machine.architecture())) {
            return Mode.NATIVE;
        }
        String qemu = QEMU_NAMES.get(target.architecture());
        if (qemu == null) {
            throw new StrataException(UNAVAILABLE, "this " + machine + " machine cannot build " + target
                    + ": Strata knows no QEMU emulator for architecture " + target.architecture(),
                    "build " + target + " on a machine of that architecture");
        }
        Path handler = binfmtMisc.resolve("qemu-" + qemu);
        if (!enabled(handler)) {
            throw new StrataException(UNAVAILABLE, "this " + machine + " machine cannot run " + target
                    + " binaries for RUN steps: there is no enabled binfmt_misc handler " + handler,
                    "run scripts/install-deps as root (installs qemu-user-static and registers its handlers), or by"
                            + " hand: apt-get install qemu-user-static; mount -t binfmt_misc binfmt_misc " + binfmtMisc
                            + "; cat /usr/lib/binfmt.d/qemu-" + qemu + ".conf > " + binfmtMisc.resolve("register"));
        }
        return Mode.EMULATED;
    }

    /** A handler file starts with "enabled" or "disabled"; an unreadable one counts as absent. */
    private static boolean enabled(Path handler) {
        try {
            return Files.isRegularFile(handler) && Files.readString(handler).startsWith("enabled");
        } catch (IOException e) {
            return false;
        }
    }

    /** The line the build log gets about how its platform runs. */
    public String describe(Platform target, Mode mode) {
        return mode == Mode.NATIVE
                ? "platform " + target + " runs natively on this " + machine + " machine"
                : "platform " + target + " runs emulated: RUN steps execute under QEMU user emulation (binfmt_misc"
                        + " handler qemu-" + QEMU_NAMES.get(target.architecture()) + ") on this " + machine + " machine";
    }
}
