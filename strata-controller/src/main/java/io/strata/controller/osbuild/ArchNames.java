package io.strata.controller.osbuild;

import java.util.Locale;

/** This machine's architecture in the names a MachineOSConfig's {@code containerfileArch} uses. */
final class ArchNames {
    private ArchNames() {
    }

    static String thisMachine() {
        return switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "AMD64";
            case "aarch64", "arm64" -> "ARM64";
            case "ppc64le" -> "PPC64LE";
            case "s390x" -> "S390X";
            default -> System.getProperty("os.arch").toUpperCase(Locale.ROOT);
        };
    }
}
