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
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * What the launcher's jar fixes ({@link UnsignedJars}, {@link ModernClassFiles}) share: each jar of a
 * directory changed or left alone, and a jar written beside the original and renamed over it, so a
 * command that starts meanwhile sees either whole jar.
 */
final class JarRewrite {
    private JarRewrite() {}

    /** One jar's change: true when it wrote the jar anew, false when there was nothing to change. */
    @FunctionalInterface
    interface JarChange {
        boolean apply(Path jar) throws IOException;
    }

    /** An entry's new bytes, or empty to leave the entry out. */
    @FunctionalInterface
    interface EntryChange {
        Optional<byte[]> apply(ZipEntry entry, byte[] bytes) throws IOException;
    }

    /** Applies {@code change} to every jar directly in {@code directory} whose file name {@code names} takes. */
    static List<Path> each(Path directory, Predicate<String> names, JarChange change) throws IOException {
        List<Path> changed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar") && names.test(f.getFileName().toString()))
                    .sorted().toList()) {
                if (change.apply(jar)) {
                    changed.add(jar);
                }
            }
        }
        return changed;
    }

    /** Writes {@code zip}'s entries through {@code change} to a new file that then replaces {@code jar}. */
    static void rewrite(Path jar, ZipFile zip, EntryChange change) throws IOException {
        Path partial = jar.resolveSibling(jar.getFileName() + ".rewriting");
        try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream out = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                Optional<byte[]> kept = change.apply(entry, bytes);
                if (kept.isEmpty()) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(kept.get());
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The launcher's way to run a fix: one line per changed jar, one line and exit 1 on failure, exit 2 on bad usage. */
    static void main(String name, String[] args, JarFix fix, String changedLine, String failedLine) {
        if (args.length != 1) {
            System.err.println("usage: " + name + " DIRECTORY");
            System.exit(2);
        }
        try {
            for (Path jar : fix.applyAll(Path.of(args[0]))) {
                System.err.println(changedLine.formatted(jar.getFileName()));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println(failedLine.formatted(args[0]) + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** A fix over a directory of jars. */
    @FunctionalInterface
    interface JarFix {
        List<Path> applyAll(Path directory) throws IOException;
    }
}
