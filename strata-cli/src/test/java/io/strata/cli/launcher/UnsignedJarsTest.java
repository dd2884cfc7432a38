package io.strata.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar signed by the JDK's own jarsigner loses its signature and nothing else; an unsigned jar is left alone. */
class UnsignedJarsTest {
    @TempDir
    Path dir;

    @Test
    void aSignedJarBecomesUnsignedWithTheSameEntriesAndContent() throws Exception {
        Path signed = jar("signed.jar");
        sign(signed);
        assertThat(signers(signed)).as("jarsigner signed it").isTrue();
        Path plain = jar("plain.jar");
        long plainModified = Files.getLastModifiedTime(plain).toMillis();

        List<Path> changed = UnsignedJars.stripAll(dir);

        assertThat(changed).containsExactly(signed);
        assertThat(signers(signed)).isFalse();
        assertThat(names(signed)).containsExactlyInAnyOrder("META-INF/MANIFEST.MF", "a/A.class", "a/b.txt")
                .noneMatch(name -> name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".EC"));
        try (JarFile jar = new JarFile(signed.toFile())) {
            assertThat(new String(jar.getInputStream(jar.getEntry("a/b.txt")).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("text");
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Title")).isEqualTo("test");
        }
        assertThat(Files.getLastModifiedTime(plain).toMillis()).isEqualTo(plainModified);
        assertThat(UnsignedJars.stripAll(dir)).as("a second run has nothing to do").isEmpty();
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("signed.jar", "plain.jar", "keys.p12");
    }

    @Test
    void onlyTopLevelSignatureFilesOfMetaInfCount() {
        assertThat(UnsignedJars.isSignatureFile("META-INF/ECLIPSE_.SF")).isTrue();
        assertThat(UnsignedJars.isSignatureFile("META-INF/ECLIPSE_.RSA")).isTrue();
        assertThat(UnsignedJars.isSignatureFile("meta-inf/x.ec")).isTrue();
        assertThat(UnsignedJars.isSignatureFile("META-INF/SIG-FOO")).isTrue();
        assertThat(UnsignedJars.isSignatureFile("META-INF/MANIFEST.MF")).isFalse();
        assertThat(UnsignedJars.isSignatureFile("META-INF/maven/x/pom.SF")).isFalse();
        assertThat(UnsignedJars.isSignatureFile("org/x/Y.RSA")).isFalse();
    }

    private Path jar(String name) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "test");
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("a/A.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
            out.putNextEntry(new JarEntry("a/b.txt"));
            out.write("text".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private void sign(Path jar) throws Exception {
        Path keys = dir.resolve("keys.p12");
        run("keytool", "-genkeypair", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "test", "-keyalg", "EC", "-dname", "CN=test", "-validity", "2");
        run("jarsigner", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "changeit", jar.toString(), "test");
    }

    private static void run(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", tool, output).isZero();
    }

    /** Whether the class entry has code signers, read with verification as the class loader reads it. */
    private static boolean signers(Path path) throws IOException {
        try (JarFile jar = new JarFile(path.toFile(), true)) {
            JarEntry entry = jar.getJarEntry("a/A.class");
            try (InputStream in = jar.getInputStream(entry)) {
                in.readAllBytes();
            }
            return entry.getCodeSigners() != null;
        }
    }

    private static List<String> names(Path path) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.stream().map(JarEntry::getName).toList();
        }
    }
}
