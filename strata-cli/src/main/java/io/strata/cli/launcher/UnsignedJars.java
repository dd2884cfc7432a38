package io.strata.cli.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

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
 * <p>Each changed jar is written beside the original and renamed over it, so a command that starts
 * meanwhile sees either whole jar. The manifest is kept (its per-entry digests do nothing without a
 * signature file).
 */
public final class UnsignedJars {
    private UnsignedJars() {}

    /** Usage: {@code UnsignedJars DIRECTORY}: every {@code *.jar} directly in it. Exit 1 with one line on failure. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: UnsignedJars DIRECTORY");
            System.exit(2);
        }
        try {
            for (Path jar : stripAll(Path.of(args[0]))) {
                System.err.println("strata: removed the signature of " + jar.getFileName() + " (see docs/benchmarks.md, \"CLI start-up\")");
            }
        } catch (IOException e) {
            System.err.println("strata: could not remove jar signatures in " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Strips every signed jar directly in {@code directory}; returns the jars it changed. */
    public static List<Path> stripAll(Path directory) throws IOException {
        List<Path> changed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                if (strip(jar)) {
                    changed.add(jar);
                }
            }
        }
        return changed;
    }

    /** Rewrites {@code jar} without its signature files; false (and no write) when it has none. */
    public static boolean strip(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(entry -> isSignatureFile(entry.getName()))) {
                return false;
            }
            Path partial = jar.resolveSibling(jar.getFileName() + ".unsigning");
            try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream out = new ZipOutputStream(file)) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    if (isSignatureFile(entry.getName())) {
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    try (InputStream in = zip.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
