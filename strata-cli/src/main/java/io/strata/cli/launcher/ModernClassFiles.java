package io.strata.cli.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites picocli's class files, which are Java 5's (class file version 49), as Java 8's (52) with
 * the stack map frames the JVM's verifier needs. Run by the launcher once after each build of the
 * command line, after {@link UnsignedJars}.
 *
 * <p>Why: the JVM keeps classes older than version 50 out of its start-up caches (JDK 25's AOT cache
 * logs "Skipping picocli/...: Old class has been linked"; class data sharing archives too), so every
 * command read picocli's classes from the jar and checked them with the old type-inferring verifier:
 * about 175 classes, before any command ran (docs/benchmarks.md, "Whole CLI"). The instructions are
 * written back as they were; only the version and the frames change, and the JVM verifies the result
 * as it does every class. Jars whose classes are all version 50 or newer are left alone.
 */
public final class ModernClassFiles {
    /** Java 5's class files: no stack map frames, kept out of start-up caches. */
    static final int OLDEST_CACHED = Opcodes.V1_6;

    private ModernClassFiles() {}

    /** Usage: {@code ModernClassFiles DIRECTORY}: picocli's jar directly in it. Exit 1 with one line on failure. */
    public static void main(String[] args) {
        JarRewrite.main("ModernClassFiles", args, ModernClassFiles::rewriteAll,
                "strata: rewrote the Java 5 class files of %s as Java 8's (see docs/benchmarks.md, \"Whole CLI\")",
                "strata: could not rewrite the class files in %s");
    }

    /** Rewrites picocli's jar(s) directly in {@code directory}; returns the jars it changed. */
    public static List<Path> rewriteAll(Path directory) throws IOException {
        return JarRewrite.each(directory, name -> name.matches("picocli-[0-9].*\\.jar"), ModernClassFiles::rewrite);
    }

    /** Rewrites the old class files of {@code jar}; false (and no write) when it has none. */
    public static boolean rewrite(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile());
                URLClassLoader hierarchy = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            if (zip.stream().noneMatch(entry -> isOld(zip, entry))) {
                return false;
            }
            JarRewrite.rewrite(jar, zip, (entry, bytes) -> Optional.of(isOld(zip, entry) ? modern(bytes, hierarchy) : bytes));
            return true;
        }
    }

    /** The class file as version 52, its frames and maximum stack sizes computed anew. */
    static byte[] modern(byte[] classFile, ClassLoader hierarchy) {
        ClassReader reader = new ClassReader(classFile);
        // Not given the reader: methods are written anew, not copied, so each gets its frames.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return hierarchy;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** A class file (outside META-INF: picocli's module-info is newer anyway) older than version 50. */
    static boolean isOld(ZipFile zip, ZipEntry entry) {
        if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/")) {
            return false;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] header = in.readNBytes(8);
            return header.length == 8 && ((header[6] & 0xff) << 8 | header[7] & 0xff) < OLDEST_CACHED;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + entry.getName() + " in " + zip.getName(), e);
        }
    }
}
