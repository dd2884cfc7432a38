package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.ChildEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's helpers that run before every command without starting a process: the JDK's feature
 * release read from its {@code release} file (scripts/lib/java-home.sh), the start-up cache's name
 * (scripts/lib/text-hash.sh), and whether the build tools' check may be skipped (scripts/lib/runtime-deps.sh).
 */
class LauncherScriptsTest {
    @TempDir
    Path dir;

    @Test
    void aJdksFeatureReleaseIsReadFromItsReleaseFile() throws Exception {
        assertThat(javaFeature(jdk("jdk-25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\nOS_NAME=\"Linux\"\n")))
                .isEqualTo("25");
        assertThat(javaFeature(jdk("jdk-21", "JAVA_VERSION=\"21\""))).as("the last line without a newline").isEqualTo("21");
        assertThat(javaFeature(jdk("jdk-17", "JAVA_VERSION=\"17.0.13\"\n"))).isEqualTo("17");
        // The whole version names the start-up caches, so a JDK upgraded in place makes new ones.
        assertThat(javaRuntime(jdk("temurin-25", "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
                + "JAVA_VERSION=\"25.0.3\"\n"))).isEqualTo("25 25.0.3+9-LTS");
        assertThat(javaRuntime(jdk("jdk-21", "JAVA_VERSION=\"21.0.2\""))).as("without a runtime version").isEqualTo("21 21.0.2");
    }

    @Test
    void theStartUpCachesNameIsAHashOfItsFlagsBytesComputedByBashAlone() throws Exception {
        // Flags with a UTF-8 path: the hash must be over bytes whatever the caller's locale.
        for (String flags : List.of("", "a", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ",
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dx=/home/zoë/strata")) {
            assertThat(bash(". scripts/lib/text-hash.sh; strata_text_hash \"$1\"; echo \"$REPLY\"", flags).out())
                    .as(flags).isEqualTo(Long.toString(fnv1a(flags.getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(fnv1a("a".getBytes(StandardCharsets.UTF_8))).as("FNV-1a's published value").isEqualTo(0xe40c292cL);
    }

    private static long fnv1a(byte[] bytes) {
        long hash = 2166136261L;
        for (byte b : bytes) {
            hash = ((hash ^ (b & 0xFF)) * 16777619L) & 0xFFFFFFFFL;
        }
        return hash;
    }

    @Test
    void theImagesLauncherRunsTheJitEveryOtherStrataJvmRuns() throws Exception {
        // deploy/strata.sh runs under the image's /bin/sh, which cannot source the bash array: it names the
        // flags itself, and this holds them to scripts/lib/jit-flags.sh.
        List<String> flags = bash(". scripts/lib/jit-flags.sh; printf '%s\\n' \"${STRATA_JIT_FLAGS[@]}\"").out().lines().toList();
        assertThat(flags).isNotEmpty();
        String imageLauncher = Files.readString(LauncherProgressTest.ROOT.resolve("deploy/strata.sh"));
        String exec = imageLauncher.lines().filter(line -> line.startsWith("exec ")).findFirst().orElseThrow();
        assertThat(List.of(exec.split(" "))).as(exec).containsAll(flags);
    }

    @Test
    void theStartUpCacheIsAssembledOnlyFromARecordingItsFinishedCommandVouchedFor() throws Exception {
        Path jar = Files.writeString(dir.resolve("strata-cli.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        String cache = dir.resolve("strata-build-1.aot").toString();
        long running = ProcessHandle.current().pid();
        long ended = endedProcess();
        Path stillRecording = Files.writeString(Path.of(cache + "." + running + ".config"), "r");
        Path unvouched = Files.writeString(Path.of(cache + "." + ended + ".config"), "r");

        assertThat(recordToAssemble(cache, jar)).as("none vouched for").isEmpty();
        assertThat(unvouched).as("a finished command that did not vouch: dropped, so the next one records").doesNotExist();
        assertThat(stillRecording).as("its command still runs").exists();

        Path vouched = Files.writeString(Path.of(cache + "." + ended + ".config"), "r");
        Files.writeString(Path.of(vouched + ".ok"), "");
        assertThat(recordToAssemble(cache, jar)).isEqualTo(vouched.toString());

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(recordToAssemble(cache, jar)).as("a jar newer than the recording").isEmpty();
        assertThat(vouched).doesNotExist();
        assertThat(Path.of(vouched + ".ok")).doesNotExist();
    }

    private static long endedProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private static String recordToAssemble(String cache, Path jar) throws Exception {
        LauncherShell.Result result = bash(". scripts/lib/startup-recordings.sh; strata_vouched_recording \"$1\" \"$2\" config; echo \"$REPLY\"", cache,
                jar.toString());
        assertThat(result.exit()).isZero();
        return result.out();
    }

    @Test
    void theBuildToolsCheckIsSkippedOnlyWhileNothingItLooksAtChanged() throws Exception {
        Path status = Files.writeString(dir.resolve("status"), "Package: buildah\n");
        Path stamp = dir.resolve("checked");
        Path confs = Files.createDirectories(dir.resolve("binfmt.d"));
        Path handlers = Files.createDirectories(dir.resolve("binfmt_misc"));
        for (String conf : List.of("qemu-aarch64.conf", "qemu-x86_64.conf", "qemu-arm.conf")) {
            Files.writeString(confs.resolve(conf), ":qemu:M::...\n");
        }
        Instant now = Instant.now();
        Files.setLastModifiedTime(status, FileTime.from(now.minusSeconds(60)));

        assertThat(current(stamp, status, confs, handlers)).as("never checked").isFalse();
        Files.createFile(stamp);
        Files.setLastModifiedTime(stamp, FileTime.from(now.minusSeconds(30)));
        assertThat(current(stamp, status, confs, handlers)).as("aarch64's handler is not registered").isFalse();
        Files.createFile(handlers.resolve("qemu-aarch64"));
        assertThat(current(stamp, status, confs, handlers))
                .as("this machine's own (x86_64) and platforms install-deps does not register (arm) need none").isTrue();
        Files.setLastModifiedTime(status, FileTime.from(now));
        assertThat(current(stamp, status, confs, handlers)).as("packages changed since the check").isFalse();
        Files.delete(status);
        assertThat(current(stamp, status, confs, handlers)).as("no package database to compare with").isFalse();
    }

    private Path jdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Files.writeString(bin.resolve(tool), "#!/bin/sh\nexit 1\n");
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), release);
        return home;
    }

    private static String javaRuntime(Path home) throws Exception {
        return bash(". scripts/lib/java-home.sh; strata_java_feature \"$1\"; echo \"$REPLY $STRATA_JAVA_RUNTIME_READ\"", home.toString())
                .out();
    }

    private static String javaFeature(Path home) throws Exception {
        return bash(". scripts/lib/java-home.sh; strata_java_feature \"$1\"; echo \"$REPLY\"", home.toString()).out();
    }

    private static boolean current(Path stamp, Path status, Path confs, Path handlers) throws Exception {
        return bash(". scripts/lib/runtime-deps.sh; strata_runtime_deps_current \"$@\"", stamp.toString(), "x86_64",
                status.toString(), confs.toString(), handlers.toString()).exit() == 0;
    }

    private static LauncherShell.Result bash(String script, String... args) throws Exception {
        return LauncherShell.run(ChildEnvironment.of(LauncherProgressTest.ROOT), script, args);
    }
}
