package io.strata.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network policies enforced on real buildah builds. The test makes a network namespace of its own
 * holding two HTTP servers (busybox httpd) at two addresses on an interface it creates; a build's
 * RUN step fetches from both with busybox wget. Only those addresses are ever used, and all of it
 * is removed afterwards. After every build (and after a build whose `strata build` is killed with
 * SIGKILL) no namespace, link or iptables rule of the build is left.
 */
class BuildNetworkIT {
    private static final Pattern BUILD_ID = Pattern.compile("build (\\d{8}-\\d{6}-[0-9a-f]{6}): RUNNING");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 8080;

    static RegistryFixture registry;
    static BuildParts parts;
    static BuildahFixture fixture;
    static String baseImage;
    static Servers servers;

    @TempDir
    Path home;
    GitRepoFixture repo;

    /** The test's own namespace with two addresses, each with an HTTP server; {@code listed} is the allowed one. */
    record Servers(String namespace, String link, String listed, String other, List<Process> httpd, Path root)
            implements AutoCloseable {
        static Servers start(Path root) throws IOException, InterruptedException {
            int third = ThreadLocalRandom.current().nextInt(1, 255);
            String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
            String namespace = "strata-test-" + suffix;
            String link = "stt" + suffix;
            String net = "10.254." + third;
            run("ip", "netns", "add", namespace);
            run("ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace);
            run("ip", "addr", "add", net + ".1/24", "dev", link);
            run("ip", "link", "set", link, "up");
            // Replies to the builds' (masqueraded) requests come back in through this link.
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf", link, "forwarding"), "1");
            run("ip", "-n", namespace, "link", "set", "lo", "up");
            run("ip", "-n", namespace, "addr", "add", net + ".10/24", "dev", "eth0");
            run("ip", "-n", namespace, "addr", "add", net + ".11/24", "dev", "eth0");
            run("ip", "-n", namespace, "link", "set", "eth0", "up");
            List<Process> httpd = new ArrayList<>();
            for (String host : List.of(net + ".10", net + ".11")) {
                Path dir = Files.createDirectories(root.resolve(host));
                Files.writeString(dir.resolve("hello.txt"), "answer-from-" + host + "\n");
                httpd.add(new ProcessBuilder("ip", "netns", "exec", namespace, "busybox", "httpd", "-f",
                        "-p", host + ":" + PORT, "-h", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(root.resolve("httpd-" + host + ".log").toFile()).start());
            }
            // A yum-style repository on the unlisted host: allowed only because a .repo file names it.
            Path repoDir = Files.createDirectories(root.resolve(net + ".11/repo"));
            Files.writeString(repoDir.resolve("package.txt"), "package-from-the-repo\n");
            Files.writeString(root.resolve(net + ".11/test.repo"),
                    "[test]\nname=test\nbaseurl=http://" + net + ".11:" + PORT + "/repo/\ngpgcheck=0\n");
            Servers servers = new Servers(namespace, link, net + ".10", net + ".11", httpd, root);
            for (String host : List.of(servers.listed, servers.other)) {
                while (!run("ip", "netns", "exec", namespace, "busybox", "wget", "-q", "-O", "-",
                        "http://" + host + ":" + PORT + "/hello.txt").contains("answer-from")) {
                    Thread.sleep(50);
                }
            }
            return servers;
        }

        @Override
        public void close() {
            httpd.forEach(Process::destroy);
            for (Process process : httpd) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            quietly("ip", "link", "del", link);
            quietly("ip", "netns", "del", namespace);
        }
    }

    @BeforeAll
    static void startRealParts(@TempDir Path serverRoot) throws Exception {
        parts = BuildParts.start();
        registry = parts.registry();
        fixture = parts.buildah();
        baseImage = parts.baseImage();
        servers = Servers.start(serverRoot);
    }

    @AfterAll
    static void stopRealParts() {
        if (servers != null) {
            servers.close();
        }
        if (parts != null) {
            parts.close();
        }
    }

    @BeforeEach
    void makeRepository() {
        repo = GitRepoFixture.create(home.resolve("repo"));
    }

    private Path config(String extra) throws IOException {
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nregistry_uri = http://" + registry.host() + "/v2\nstrata_home = "
                + home.resolve("strata") + "\nstrata_buildah_root = " + home.resolve("buildah") + "\n" + extra);
        return config;
    }

    private Path allowingTheListedServer(String more) throws IOException {
        return config("strata_build_network_allow = " + servers.listed() + ":" + PORT + "\n" + more);
    }

    /** RUN: fetch from both servers; either prints the answer or FAILED-&lt;host&gt; and wget's reason. */
    private String commitFetchingBoth(String extraRun) {
        // busybox's own timeout: its wget -T crashes (Debian's static busybox 1.35).
        String fetch = "(timeout 20 wget -q -O - http://%1$s:%2$d/hello.txt 2>&1 || echo FAILED-%1$s)";
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=network/test version=1\nRUN "
                + fetch.formatted(servers.listed(), PORT) + "; " + fetch.formatted(servers.other(), PORT)
                + extraRun + "\n");
        return repo.commit("fetch both" + extraRun);
    }

    record Built(int exit, String id, String output, String log) {}

    private Built build(Path config, String commit, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("build", "--config", config.toString(), "--component", "net",
                "--git-uri", repo.uri().toString(), "--git-ref", commit));
        args.addAll(List.of(more));
        TestCli.Run run = TestCli.in(home).run(args.toArray(String[]::new));
        Matcher id = BUILD_ID.matcher(run.err());
        if (!id.find()) {
            return new Built(run.exit(), null, run.out() + run.err(), "");
        }
        TestCli.Run logs = TestCli.in(home).run("build-logs", "--config", config.toString(), id.group(1));
        return new Built(run.exit(), id.group(1), run.out() + run.err(), logs.out());
    }

    @Test
    void allowlistReachesTheListedServerAndIsRefusedByTheOtherAtOnce() throws Exception {
        Built built = build(allowingTheListedServer(""), commitFetchingBoth(""));

        assertThat(built.exit()).as(built.output()).isZero();
        assertThat(built.log()).contains("answer-from-" + servers.listed())
                .doesNotContain("answer-from-" + servers.other())
                .contains("FAILED-" + servers.other())
                // REJECT, not DROP: the connection is refused at once; a dropped one would be killed by the 20 s timeout.
                .contains("can't connect to remote host (" + servers.other() + "): Connection refused")
                .contains("network policy allowlist: RUN steps reach only ", servers.listed() + ":" + PORT + " [configuration]",
                        registry.host() + " [registry]")
                // The test's link forwards, and the registry is this machine's own: no warning about replies.
                .doesNotContain("does not forward")
                // No yum repository: the network was made while the steps before buildah_build ran.
                .contains("the build's network was made while the earlier steps ran");
        assertNothingLeftOf(built.id());
        JsonNode record = record(built.id());
        assertThat(record.path("request").path("network_policy").asText()).isEqualTo("allowlist");
        JsonNode network = JSON.readTree(record.path("koji_metadata").asText()).path("build").path("extra").path("strata_network");
        assertThat(network.path("policy").asText()).isEqualTo("allowlist");
        assertThat(network.path("allowed").toString()).contains(servers.listed(), "configuration", "registry");
    }

    @Test
    void noneReachesNeitherServer() throws Exception {
        Built built = build(allowingTheListedServer(""), commitFetchingBoth(""), "--network-policy", "none");

        assertThat(built.exit()).as(built.output()).isZero();
        assertThat(built.log()).contains("FAILED-" + servers.listed(), "FAILED-" + servers.other())
                .doesNotContain("answer-from-").contains("network policy none");
        assertNothingLeftOf(built.id());
    }

    @Test
    void openReachesBothWhenTheConfigurationPermitsIt() throws Exception {
        Built built = build(config("strata_build_network_permit = none,allowlist,open\n"), commitFetchingBoth(""),
                "--network-policy", "open");

        assertThat(built.exit()).as(built.output()).isZero();
        assertThat(built.log()).contains("answer-from-" + servers.listed(), "answer-from-" + servers.other())
                .doesNotContain("\nFAILED-").contains("network policy open");
        assertNothingLeftOf(built.id());
    }

    @Test
    void openUnderTheDefaultConfigurationIsRefusedBeforeAnythingIsStored() throws Exception {
        Path config = config("");
        Built built = build(config, commitFetchingBoth(""), "--network-policy", "open");

        assertThat(built.exit()).isEqualTo(1);
        assertThat(built.id()).isNull();
        assertThat(built.output()).contains("[NETWORK_POLICY_FORBIDDEN]", "--network-policy", "strata_build_network_permit");
        TestCli.Run list = TestCli.in(home).run("list-builds", "--config", config.toString(), "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(JSON.readTree(list.out())).isEmpty();
    }

    @Test
    void aCustomizeDocumentAskingForTheHostsNetworkIsRefusedBeforeAnythingIsStored() throws Exception {
        Path config = config("");
        Path customize = home.resolve("customize.json");
        Files.writeString(customize, "{\"enable_plugins\": [{\"plugin_name\": \"buildah_build\", \"plugin_args\": {\"network\": true}}]}");
        Built built = build(config, commitFetchingBoth(""), "--customize", customize.toString());

        assertThat(built.exit()).isEqualTo(1);
        assertThat(built.id()).isNull();
        assertThat(built.output()).contains("network: true", "[NETWORK_POLICY_FORBIDDEN]");
        TestCli.Run list = TestCli.in(home).run("list-builds", "--config", config.toString(), "--json");
        assertThat(JSON.readTree(list.out())).isEmpty();
    }

    @Test
    void aYumRepositoryNamedByTheRepoFileIsReachableUnderAllowlist() throws Exception {
        String repoUrl = "http://" + servers.other() + ":" + PORT + "/test.repo";
        String commit = commitFetchingBoth("; cat /etc/yum.repos.d/test.repo; wget -q -O - "
                + "$(sed -n 's/^baseurl=//p' /etc/yum.repos.d/test.repo)package.txt");
        Built built = build(config(""), commit, "--yum-repourls", repoUrl);

        assertThat(built.exit()).as(built.output()).isZero();
        // The .repo file's baseurl host is allowed; nothing of the configuration adds it.
        assertThat(built.log()).contains("package-from-the-repo", "answer-from-" + servers.other())
                .contains("FAILED-" + servers.listed())
                .contains(servers.other() + ":" + PORT + " [yum repo]");
        assertNothingLeftOf(built.id());
    }

    /** A `strata build` process whose allowlist build sleeps in its RUN step, in its namespace; its id. */
    private record Sleeping(StrataProcess strata, String id) implements AutoCloseable {
        @Override
        public void close() {
            strata.close();
        }
    }

    private Sleeping startSleeping(Path config, String marker) throws Exception {
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=network/sleeping version=1\nRUN " + marker + "\n");
        String commit = repo.commit(marker);
        StrataProcess strata = StrataProcess.start("build", "--config", config.toString(), "--component", "sleeping",
                "--git-uri", repo.uri().toString(), "--git-ref", commit, "--follow");
        String running = strata.awaitErr(line -> BUILD_ID.matcher(line).find())
                .orElseThrow(() -> new AssertionError("no build started:\n" + strata.stderr()));
        Matcher matcher = BUILD_ID.matcher(running);
        assertThat(matcher.find()).isTrue();
        strata.awaitErr(line -> line.contains("RUN " + marker))
                .orElseThrow(() -> new AssertionError("the RUN step never started:\n" + strata.stderr()));
        while (io.strata.testkit.ProcessTable.commandLinesContaining(marker).isEmpty() && strata.process().isAlive()) {
            Thread.sleep(50);
        }
        // The build runs in its namespace now.
        assertThat(run("ip", "netns", "list")).contains("strata-" + matcher.group(1));
        return new Sleeping(strata, matcher.group(1));
    }

    @Test
    void aBuildKilledMidRunLeavesNoNamespaceLinkOrRuleOnceReconciled() throws Exception {
        Path config = allowingTheListedServer("");
        String id;
        try (Sleeping sleeping = startSleeping(config, "sleep 4177")) {
            id = sleeping.id();
            sleeping.strata().signal("KILL");
            sleeping.strata().awaitExit();
        }
        assertThat(run("ip", "netns", "list")).contains("strata-" + id);

        TestCli.Run list = TestCli.in(home).run("list-builds", "--config", config.toString());

        assertThat(list.exit()).as(list.err()).isZero();
        assertNothingLeftOf(id);
        assertThat(record(id).path("failure").path("message").asText()).contains("network namespace and rules were removed");
    }

    @Test
    void aCancelledBuildLeavesNoNamespaceLinkOrRule() throws Exception {
        Path config = allowingTheListedServer("");
        try (Sleeping sleeping = startSleeping(config, "sleep 4178")) {
            TestCli.Run cancel = TestCli.in(home).run("cancel-build", "--config", config.toString(), sleeping.id());

            assertThat(cancel.exit()).as(cancel.err()).isZero();
            assertThat(sleeping.strata().awaitExit()).isEqualTo(io.strata.cli.CliRunner.EXIT_CANCELLED);
            assertNothingLeftOf(sleeping.id());
        }
    }

    @Test
    void aFailingRunStepLeavesNoNamespaceLinkOrRule() throws Exception {
        repo.write("Dockerfile", "FROM " + baseImage + "\nLABEL name=network/failing version=1\nRUN exit 3\n");
        Built built = build(allowingTheListedServer(""), repo.commit("exit 3"));

        assertThat(built.exit()).as(built.output()).isEqualTo(1);
        assertThat(built.output()).contains("FAILED");
        assertNothingLeftOf(built.id());
    }

    @Test
    void aBuildFailingBeforeBuildahLeavesNoNetworkMadeAheadOfIt() throws Exception {
        // Checked out with a RUN step, so the network is begun before pin_base_images, which then finds no such base.
        repo.write("Dockerfile", "FROM " + registry.reference("network/no-such-base") + ":1\nLABEL name=network/early"
                + " version=1\nRUN true\n");
        Built built = build(allowingTheListedServer(""), repo.commit("missing base"));

        assertThat(built.exit()).as(built.output()).isEqualTo(1);
        assertThat(built.output()).contains("FAILED").contains("pin_base_images");
        assertNothingLeftOf(built.id());
    }

    private JsonNode record(String id) throws IOException {
        TestCli.Run get = TestCli.in(home).run("get-build", "--config", home.resolve("osbs.conf").toString(), id, "--json");
        assertThat(get.exit()).as(get.err()).isZero();
        return JSON.readTree(get.out());
    }

    private static void assertNothingLeftOf(String id) throws Exception {
        assertThat(id).isNotNull();
        String link = "sb" + id.substring(9, 15) + id.substring(16);
        assertThat(run("ip", "netns", "list")).doesNotContain(id);
        assertThat(run("ip", "-o", "link", "show")).doesNotContain(link);
        assertThat(run("iptables", "-w", "-S")).doesNotContain(id).doesNotContain(link);
        assertThat(run("iptables", "-w", "-t", "nat", "-S")).doesNotContain(id).doesNotContain(link);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            // nothing to remove
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
