package io.strata.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * picocli's own jar (Java 5 class files, which the JVM keeps out of its start-up caches) rewritten as
 * Java 8's: every class is version 52, passes the JVM's verifier (each is loaded and initialised from
 * the rewritten jar) and the same entries are there; a second run changes nothing.
 */
class ModernClassFilesTest {
    @TempDir
    Path dir;

    @Test
    void picocliBecomesJava8ClassFilesThatVerifyAndStillWork() throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(original, dir.resolve(original.getFileName()));
        Files.writeString(dir.resolve("other.txt"), "not a jar");
        List<String> before = names(jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().filter(entry -> ModernClassFiles.isOld(zip, entry)).count()).as("picocli is Java 5's")
                    .isGreaterThan(100);
        }

        assertThat(ModernClassFiles.rewriteAll(dir)).containsExactly(jar);

        assertThat(names(jar)).isEqualTo(before);
        List<String> classes = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(entry -> assertThat(ModernClassFiles.isOld(zip, entry)).as(entry.getName()).isFalse());
            zip.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
                    .forEach(name -> classes.add(name.substring(0, name.length() - ".class".length()).replace('/', '.')));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : classes) {
                // Initialising links the class, and linking verifies it (with the frames the rewrite computed).
                Class<?> loaded = Class.forName(name, true, loader);
                assertThat(loaded.getClassLoader()).isSameAs(loader);
            }
            // The rewritten code still runs: picocli's markup, rendered without colours.
            Class<?> ansi = loader.loadClass("picocli.CommandLine$Help$Ansi");
            Object off = ansi.getMethod("valueOf", String.class).invoke(null, "OFF");
            assertThat(ansi.getMethod("string", String.class).invoke(off, "@|bold,red strata|@ build")).isEqualTo("strata build");
        }
        assertThat(ModernClassFiles.rewriteAll(dir)).as("nothing old is left").isEmpty();
    }

    private static List<String> names(Path jar) throws Exception {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(entry -> entry.getName()).toList();
        }
    }
}
