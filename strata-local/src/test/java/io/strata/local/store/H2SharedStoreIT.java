package io.strata.local.store;

import io.strata.core.config.StrataSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.build.BuildId;
import io.strata.core.request.BuildRequest;
import io.strata.core.store.BuildStore;
import io.strata.core.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real processes on one embedded store, as when `strata logs --follow` runs beside a build:
 * at the same time, one after the other, and the second carrying on when the first exits.
 */
class H2SharedStoreIT {
    @TempDir
    Path strataHome;

    @Test
    void aSecondProcessUsesTheStoreWhileTheFirstHasItOpen() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        try (BuildStore first = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            BuildId mine = first.create(BuildStoreContract.request("first"), Map.of(), "{}").id();

            try (SecondProcess second = SecondProcess.start(url, "second")) {
                assertThat(first.find(second.buildId()).map(b -> b.request().component())).contains("second");
                assertThat(second.exit()).isZero();
            }
            assertThat(first.find(mine)).isPresent();
        }
    }

    /** The kernel's list of listening sockets, read for the port H2 wrote into its lock file. */
    @Test
    void theAutoServerListensOnLoopbackOnly() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        try (BuildStore store = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            Properties lock = new Properties();
            try (var in = Files.newInputStream(strataHome.resolve("store/strata.lock.db"))) {
                lock.load(in);
            }
            int port = Integer.parseInt(lock.getProperty("server").replaceAll(".*:", ""));

            assertThat(listeningAddresses(port)).isNotEmpty().isSubsetOf(LOOPBACK);
        }
    }

    /** 127.0.0.1, ::ffff:127.0.0.1 and ::1 as /proc/net/tcp and tcp6 spell them. */
    private static final Set<String> LOOPBACK = Set.of(
            "0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000");
    private static final String LISTEN = "0A";

    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format("%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String line : rows.subList(1, rows.size())) { // the first row is the header
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (local[1].equals(hexPort) && fields[3].equals(LISTEN)) {
                    addresses.add(local[0]);
                }
            }
        }
        return addresses;
    }

    @Test
    void processesUseTheStoreOneAfterAnother() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        BuildId earlier;
        try (SecondProcess before = SecondProcess.start(url, "before")) {
            earlier = before.buildId();
            assertThat(before.exit()).isZero();
        }

        try (BuildStore later = BuildStores.open(url, Optional.empty(), Optional.empty())) {
            assertThat(later.find(earlier).map(b -> b.request().component())).contains("before");
        }
    }

    @Test
    void whenTheProcessServingTheStoreExitsTheOtherCarriesOn() throws Exception {
        String url = StrataSettings.embeddedStoreUrl(strataHome);
        try (SecondProcess server = SecondProcess.start(url, "server")) {
            try (BuildStore client = BuildStores.open(url, Optional.empty(), Optional.empty())) {
                BuildId before = client.create(BuildStoreContract.request("client"), Map.of(), "{}").id();

                assertThat(server.exit()).isZero();

                BuildId after = client.create(BuildStoreContract.request("client"), Map.of(), "{}").id();
                assertThat(client.find(before)).isPresent();
                assertThat(client.find(after)).isPresent();
                assertThat(client.find(server.buildId())).isPresent();
            }
        }
    }

    /** A {@link SecondStrataProcess} in its own JVM, with this test's class path. */
    private record SecondProcess(Process process, BuildId buildId) implements AutoCloseable {

        static SecondProcess start(String url, String component) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    SecondStrataProcess.class.getName(), url, component)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String id = out.readLine();
            if (id == null || !BuildId.isValid(id)) {
                process.destroyForcibly();
                throw new IllegalStateException("the second process printed no build id but " + id);
            }
            return new SecondProcess(process, new BuildId(id));
        }

        /** Tells the process to close its store and exit; its exit code. */
        int exit() throws IOException, InterruptedException {
            try (Writer in = process.outputWriter()) {
                in.write("exit\n");
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the second process did not exit within 60 s");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
