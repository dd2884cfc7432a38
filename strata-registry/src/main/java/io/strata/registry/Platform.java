package io.strata.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI platform ({@code linux/arm64/v8}) and its mapping to the Koji architecture names that
 * build requests and Koji metadata use ({@code aarch64}).
 *
 * @param os           operating system, {@code linux} for everything Strata builds
 * @param architecture OCI / GOARCH name: {@code amd64}, {@code arm64}, {@code ppc64le}, {@code s390x}
 * @param variant      CPU variant when it matters, e.g. {@code v8} for arm64
 */
public record Platform(String os, String architecture, Optional<String> variant) {

    /** Koji arch name and OCI architecture, for each platform Strata builds. */
    private record ArchName(String koji, String oci) {}

    private static final List<ArchName> ARCH_NAMES = List.of(
            new ArchName("x86_64", "amd64"),
            new ArchName("aarch64", "arm64"),
            new ArchName("ppc64le", "ppc64le"),
            new ArchName("s390x", "s390x"));

    /** The variant arm64 images have when none is written (the OCI image-index spec's default). */
    private static final String ARM64_DEFAULT_VARIANT = "v8";

    public Platform {
        requireWord(os, "os");
        requireWord(architecture, "architecture");
        Objects.requireNonNull(variant, "variant");
        variant.ifPresent(v -> requireWord(v, "variant"));
    }

    public static Platform linux(String ociArchitecture) {
        return new Platform("linux", ociArchitecture, Optional.empty());
    }

    /** {@code os/architecture[/variant]}, as docker's {@code --platform} takes it. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(
                    "platform '" + text + "' must be written os/architecture[/variant], e.g. linux/amd64");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
    }

    /** The Linux platform for a Koji arch name: {@code x86_64}, {@code aarch64}, {@code ppc64le}, {@code s390x}. */
    public static Platform fromKojiArch(String kojiArch) {
        return ARCH_NAMES.stream()
                .filter(name -> name.koji().equals(kojiArch))
                .findFirst()
                .map(name -> linux(name.oci()))
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown Koji arch '" + kojiArch + "'; known: " + kojiArches()));
    }

    /** The Koji arch names Strata can build for, in a stable order. */
    public static List<String> kojiArches() {
        return ARCH_NAMES.stream().map(ArchName::koji).toList();
    }

    /** The platform this JVM runs on, from {@code os.arch} (which says {@code amd64} or {@code x86_64} for Intel). */
    public static Platform current() {
        String javaArch = System.getProperty("os.arch");
        return ARCH_NAMES.stream()
                .filter(name -> name.oci().equals(javaArch) || name.koji().equals(javaArch))
                .findFirst()
                .map(name -> linux(name.oci()))
                .orElseThrow(() -> new IllegalStateException(
                        "this machine's architecture '" + javaArch + "' is not one Strata builds for: " + kojiArches()));
    }

    /** The Koji arch name for this platform's architecture. */
    public String kojiArch() {
        return ARCH_NAMES.stream()
                .filter(name -> name.oci().equals(architecture))
                .findFirst()
                .map(ArchName::koji)
                .orElseThrow(() -> new IllegalStateException(
                        "architecture '" + architecture + "' has no Koji name; known: " + kojiArches()));
    }

    /**
     * Whether an image for {@code offered} (an entry of a manifest list) runs on this platform:
     * same os and architecture, and the same variant when this platform asks for one. An arm64
     * entry without a variant counts as {@code v8}.
     */
    public boolean accepts(Platform offered) {
        return os.equals(offered.os())
                && architecture.equals(offered.architecture())
                && (variant.isEmpty() || variant.equals(offered.normalizedVariant()));
    }

    private Optional<String> normalizedVariant() {
        return variant.isEmpty() && architecture.equals("arm64") ? Optional.of(ARM64_DEFAULT_VARIANT) : variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }

    private static void requireWord(String value, String what) {
        if (value == null || value.isEmpty() || value.contains("/")) {
            throw new IllegalArgumentException("platform " + what + " must be a non-empty word without '/': " + value);
        }
    }
}
