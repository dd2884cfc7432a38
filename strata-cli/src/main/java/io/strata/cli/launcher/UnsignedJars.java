package io.strata.cli.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * Removes the signature files of the signed jars among the CLI's libraries (JGit is signed by Eclipse).
 * Run by the launcher once after each build of the command line, before anything else starts.
 *
 * <p>Why: the JVM keeps classes of signed jars out of class data sharing archives and AOT caches, and
 * checks the signature of each class it loads from them. For {@code strata build} that was JGit's 300
 * classes read, verified and hashed on every command (docs/benchmarks.md, "CLI start-up"). Nothing in
 * Strata or its libraries asks for these signatures; the jars come from Maven Central, whose checksums
 * Maven checked when it downloaded them.
 *
 * <p>Each changed jar is written beside the original and renamed over it ({@link JarRewrite}). The manifest is kept (its per-entry digests do nothing without a
 * signature file).
 */
public final class UnsignedJars {
    private UnsignedJars() {}

    /** Usage: {@code UnsignedJars DIRECTORY}: every {@code *.jar} directly in it. Exit 1 with one line on failure. */
    public static void main(String[] args) {
        JarRewrite.main("UnsignedJars", args, UnsignedJars::stripAll,
                "strata: removed the signature of %s (see docs/benchmarks.md, \"CLI start-up\")",
                "strata: could not remove jar signatures in %s");
    }

    /** Strips every signed jar directly in {@code directory}; returns the jars it changed. */
    public static List<Path> stripAll(Path directory) throws IOException {
        return JarRewrite.each(directory, name -> true, UnsignedJars::strip);
    }

    /** Rewrites {@code jar} without its signature files; false (and no write) when it has none. */
    public static boolean strip(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(entry -> isSignatureFile(entry.getName()))) {
                return false;
            }
            JarRewrite.rewrite(jar, zip, (entry, bytes) -> isSignatureFile(entry.getName()) ? Optional.empty() : Optional.of(bytes));
            return true;
        }
    }

    /** What makes a jar signed (the JAR File Specification, "Signed JAR File"): META-INF/*.SF and its block files. */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }
}
