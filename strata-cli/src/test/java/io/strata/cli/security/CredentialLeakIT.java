package io.strata.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.CliRunner;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildahFixture;
import io.strata.testkit.GitHttpServerFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RegistryFixture;
import io.strata.testkit.YumRepoServerFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials guarantee of docs/security.md, end to end with real parts: a distinct secret is
 * planted in every input a build takes (registry auth file, osbs.conf password and token, the git
 * URI's token against an authenticated git HTTP server, a repo URL's user info and token parameter
 * against an authenticated yum repo server), a real {@code strata build} runs through the CLI with
 * a Dockerfile that copies the whole build context into the image and prints what it can, and then
 * every surface is searched for every secret: the pushed image's layers and config (pulled through
 * the registry API), the CLI's output, {@code build-logs}, {@code get-build --json} with its Koji
 * metadata, the raw bytes of every file under STRATA_HOME, the workspace while the build runs, and
 * the command lines and environments of every process on the machine while the build runs.
 */
class CredentialLeakIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {}

    @Test
    void noPlantedSecretReachesAnySurface() throws Exception {
        String gitToken = secret("git-tok");
        String repoPassword = secret("repo-pw");
        String repoToken = secret("repo-q");
        String osbsPassword = secret("osbs-pw");
        String osbsToken = secret("osbs-tok");
        Path strataHome = home.resolve("strata");
        try (RegistryFixture registry = RegistryFixture.start();
                BuildahFixture buildah = BuildahFixture.create();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("git/app"));
                GitHttpServerFixture git = GitHttpServerFixture.start(home.resolve("git"), "gituser", gitToken);
                YumRepoServerFixture repos = YumRepoServerFixture.start("repouser", repoPassword, repoToken)) {
            buildah.makeBusyboxBaseImage("base/busybox:1", registry);
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("registry password", registry.password());
            secrets.put("registry auth", base64(registry.username() + ":" + registry.password()));
            secrets.put("git token", gitToken);
            secrets.put("git basic auth", base64("gituser:" + gitToken));
            secrets.put("repo password", repoPassword);
            secrets.put("repo basic auth", base64("repouser:" + repoPassword));
            secrets.put("repo token parameter", repoToken);
            secrets.put("osbs.conf password", osbsPassword);
            secrets.put("osbs.conf token", osbsToken);

            repos.put("extra.repo", "[extra]\nname=extra\nbaseurl=http://127.0.0.1:1/nothing\nenabled=0\n");
            repo.write("Dockerfile", """
                    ARG BASE_IMAGE
                    FROM $BASE_IMAGE
                    LABEL name="sec/leak" version="1.0"
                    COPY . /src
                    RUN cat /src/.git/config; cat /src/.git/FETCH_HEAD /src/.git/HEAD; ls -la /src/.git /etc/yum.repos.d; \
                        cat /etc/yum.repos.d/*; mkdir /seen && cp -r /etc/yum.repos.d /seen/; env; \
                        grep -r . /src/.git/config /src/.git/logs 2>/dev/null; true
                    """);
            repo.commit("a Dockerfile that takes everything it can see");

            Path secretsDir = Files.createDirectories(home.resolve("secrets"));
            Path authFile = registry.writeAuthFile(secretsDir.resolve("auth.json"));
            Path config = secretsDir.resolve("osbs.conf");
            Files.writeString(config, """
                    [default]
                    registry_uri = http://%s/v2
                    vendor = Strata Security Tests
                    password = %s
                    token = %s
                    strata_home = %s
                    strata_registry_auth_file = %s
                    strata_buildah_root = %s
                    """.formatted(registry.host(), osbsPassword, osbsToken, strataHome, authFile, home.resolve("buildah")));
            Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

            ProcessAndWorkspaceScanner scanner = new ProcessAndWorkspaceScanner(secrets.values(), strataHome.resolve("workspaces"));
            Thread sampler = Thread.ofPlatform().daemon().start(scanner);
            Run build;
            try {
                build = strata("build", "--config", config.toString(), "--component", "sec-leak",
                        "--git-uri", git.uriWithCredentials("app").toString(), "--git-ref", "main", "--git-branch", "main",
                        "--yum-repourls", repos.urlWithCredentials("extra.repo"),
                        "--build-arg", "BASE_IMAGE=" + registry.reference("base/busybox:1"), "--user", "tester");
            } finally {
                scanner.stop();
                sampler.join();
            }

            assertThat(build.exit()).as(build.err()).isZero();
            assertThat(git.authorizedRequests()).as("the git server was asked with the token").isPositive();
            assertThat(repos.authorizedRequests()).as("the repo file was fetched with Basic auth and the token").isEqualTo(1);
            assertThat(scanner.processesSeen()).as("processes sampled while the build ran").anyMatch(cmd -> cmd.contains("buildah"));
            assertThat(scanner.workspaceFilesSeen()).as("workspace files scanned while the build ran").isPositive();

            String id = JSON.readTree(strata("list-builds", "--config", config.toString(), "--json").out()).get(0).path("id").asText();
            Run logs = strata("build-logs", "--config", config.toString(), id);
            Run record = strata("get-build", "--config", config.toString(), id, "--json");
            JsonNode json = JSON.readTree(record.out());

            Map<String, String> surfaces = new LinkedHashMap<>();
            surfaces.put("strata build stdout", build.out());
            surfaces.put("strata build stderr", build.err());
            surfaces.put("build-logs", logs.out() + logs.err());
            surfaces.put("get-build --json (request, config, failure, Koji metadata)", record.out());
            surfaces.putAll(filesUnder(strataHome));
            surfaces.putAll(imageBlobs(registry, build.out().strip()));
            List<String> leaks = new ArrayList<>(scanner.leaks());
            surfaces.forEach((surface, content) -> secrets.forEach((what, secret) -> {
                if (content.contains(secret)) {
                    leaks.add(what + " in " + surface);
                }
            }));
            assertThat(leaks).as("secrets found").isEmpty();
            // The build context has no .git (docs/builds.md, "Checkout"); the repository's cache under the
            // Strata home, searched above with every file there, names it without credentials.
            assertThat(logs.out()).as("the RUN step found no git config in the context").doesNotContain("[remote");
            assertThat(surfaces).as("the git cache's config")
                    .hasEntrySatisfying(surfaces.keySet().stream().filter(name -> name.matches("file cache/git/\\w+\\.git/config .*"))
                            .findFirst().orElse("no git cache config"), cacheConfig -> assertThat(cacheConfig).contains("url = " + git.uri("app")));
            assertThat(json.path("request").path("git_uri").asText()).isEqualTo("http://gituser:****@127.0.0.1:"
                    + git.uri("app").getPort() + "/app");
            assertThat(json.path("request").path("yum_repo_urls").get(0).asText())
                    .isEqualTo("http://repouser:****@" + URI.create(repos.url("extra.repo")).getAuthority() + "/extra.repo?token=****");
            assertThat(json.path("koji_metadata").asText()).contains("\"source\" : \"" + git.uri("app") + "#");
            assertThat(surfaces.keySet()).as("surfaces searched").anyMatch(name -> name.startsWith("image layer"))
                    .anyMatch(name -> name.contains("store"));
        }
    }

    /**
     * A failure message repeats the URL that failed: refused git credentials (GIT_AUTH_FAILED) and
     * refused repo credentials (YUM_REPO_UNREACHABLE) end the build with no secret in the CLI's
     * output, the record, the log or the store.
     */
    @Test
    void refusedCredentialsFailTheBuildWithoutShowingThem() throws Exception {
        String wrongGitToken = secret("wrong-git-tok");
        String wrongRepoPassword = secret("wrong-repo-pw");
        String repoToken = secret("repo-q");
        Path strataHome = home.resolve("strata");
        try (RegistryFixture registry = RegistryFixture.start();
                GitRepoFixture repo = GitRepoFixture.create(home.resolve("git/app"));
                GitHttpServerFixture git = GitHttpServerFixture.start(home.resolve("git"), "gituser", secret("git-tok"));
                YumRepoServerFixture repos = YumRepoServerFixture.start("repouser", secret("repo-pw"), repoToken)) {
            repo.write("Dockerfile", "FROM scratch\nLABEL name=\"sec/fail\" version=\"1.0\"\n").commit("fails before building");
            repos.put("extra.repo", "[extra]\n");
            Path config = home.resolve("osbs.conf");
            Files.writeString(config, "[default]\nregistry_uri = http://%s/v2\nstrata_home = %s\nstrata_buildah_root = %s\n"
                    .formatted(registry.host(), strataHome, home.resolve("buildah")));
            String wrongGitUri = git.uri("app").toString().replace("http://", "http://gituser:" + wrongGitToken + "@");
            String goodGitUri = git.uriWithCredentials("app").toString();
            String wrongRepoUrl = repos.urlWithCredentials("extra.repo").replaceFirst(":[^:@/]+@", ":" + wrongRepoPassword + "@");

            Run gitRefused = strata("build", "--config", config.toString(), "--component", "sec-fail",
                    "--git-uri", wrongGitUri, "--git-ref", "main");
            Run repoRefused = strata("build", "--config", config.toString(), "--component", "sec-fail",
                    "--git-uri", goodGitUri, "--git-ref", "main", "--yum-repourls", wrongRepoUrl);

            assertThat(gitRefused.err()).contains("[GIT_AUTH_FAILED]");
            assertThat(repoRefused.err()).contains("[YUM_REPO_UNREACHABLE]", "HTTP 401");
            Map<String, String> surfaces = new LinkedHashMap<>();
            surfaces.put("stderr of the git failure", gitRefused.out() + gitRefused.err());
            surfaces.put("stderr of the repo failure", repoRefused.out() + repoRefused.err());
            for (JsonNode build : JSON.readTree(strata("list-builds", "--config", config.toString(), "--json").out())) {
                String id = build.path("id").asText();
                assertThat(build.path("state").asText()).isEqualTo("FAILED");
                surfaces.put("get-build --json " + id, strata("get-build", "--config", config.toString(), id, "--json").out());
                surfaces.put("get-build " + id, strata("get-build", "--config", config.toString(), id).out());
                surfaces.put("build-logs " + id, strata("build-logs", "--config", config.toString(), id).out());
            }
            surfaces.putAll(filesUnder(strataHome));
            List<String> leaks = new ArrayList<>();
            surfaces.forEach((surface, content) -> Stream.of(wrongGitToken, wrongRepoPassword, repoToken,
                    base64("gituser:" + wrongGitToken), base64("repouser:" + wrongRepoPassword)).forEach(secret -> {
                        if (content.contains(secret)) {
                            leaks.add(secret.substring(0, 10) + "... in " + surface);
                        }
                    }));
            assertThat(leaks).as("secrets found").isEmpty();
            assertThat(surfaces.keySet()).filteredOn(name -> name.startsWith("get-build --json")).hasSize(2);
        }
    }

    private static String secret(String kind) {
        return kind + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Run strata(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = CliRunner.run(TestCli.in(home).environment(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every file under {@code root}, raw bytes read as Latin-1 so any byte sequence can be searched. */
    private static Map<String, String> filesUnder(Path root) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put("file " + root.relativize(file) + " (store and home)", Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    /** The pushed image's config and every layer, uncompressed, pulled through the registry's API. */
    private static Map<String, String> imageBlobs(RegistryFixture registry, String pullspec) throws Exception {
        String repository = pullspec.substring(pullspec.indexOf('/') + 1, pullspec.indexOf('@'));
        String digest = pullspec.substring(pullspec.indexOf('@') + 1);
        String auth = "Basic " + base64(registry.username() + ":" + registry.password());
        Map<String, String> blobs = new LinkedHashMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            byte[] manifest = get(http, auth, "http://" + registry.host() + "/v2/" + repository + "/manifests/" + digest);
            blobs.put("image manifest", new String(manifest, StandardCharsets.ISO_8859_1));
            JsonNode parsed = JSON.readTree(manifest);
            String configDigest = parsed.path("config").path("digest").asText();
            blobs.put("image config", new String(get(http, auth, blobUrl(registry, repository, configDigest)), StandardCharsets.ISO_8859_1));
            for (JsonNode layer : parsed.path("layers")) {
                byte[] blob = get(http, auth, blobUrl(registry, repository, layer.path("digest").asText()));
                blobs.put("image layer " + layer.path("digest").asText(), new String(uncompressed(blob), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(blobs.keySet()).as("layers pulled").anyMatch(name -> name.startsWith("image layer"));
        return blobs;
    }

    private static String blobUrl(RegistryFixture registry, String repository, String digest) {
        return "http://" + registry.host() + "/v2/" + repository + "/blobs/" + digest;
    }

    private static byte[] get(HttpClient http, String auth, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                .GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 307 || response.statusCode() == 302) {
            return get(http, auth, response.headers().firstValue("Location").orElseThrow());
        }
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return response.body();
    }

    private static byte[] uncompressed(byte[] blob) throws IOException {
        if (blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
                return in.readAllBytes();
            }
        }
        return blob;
    }

    /**
     * Runs beside the build until stopped: reads the command line and environment of every process
     * on the machine and every file in the workspace root, over and over, noting any secret seen.
     */
    private static final class ProcessAndWorkspaceScanner implements Runnable {
        private final List<String> secrets;
        private final Path workspaces;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<String> leaks = ConcurrentHashMap.newKeySet();
        private final Set<String> processes = ConcurrentHashMap.newKeySet();
        private final AtomicInteger workspaceFiles = new AtomicInteger();

        ProcessAndWorkspaceScanner(java.util.Collection<String> secrets, Path workspaces) {
            this.secrets = List.copyOf(secrets);
            this.workspaces = workspaces;
        }

        @Override
        public void run() {
            while (running.get()) {
                scanProcesses();
                scanWorkspaces();
            }
        }

        void stop() {
            running.set(false);
        }

        Set<String> leaks() {
            return Set.copyOf(leaks);
        }

        Set<String> processesSeen() {
            return Set.copyOf(processes);
        }

        int workspaceFilesSeen() {
            return workspaceFiles.get();
        }

        private void scanProcesses() {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                    String cmdline = read(proc.resolve("cmdline")).replace('\0', ' ');
                    if (!cmdline.isBlank()) {
                        processes.add(cmdline.length() > 200 ? cmdline.substring(0, 200) : cmdline);
                    }
                    check("command line of " + cmdline, cmdline);
                    check("environment of " + cmdline, read(proc.resolve("environ")));
                }
            } catch (IOException e) {
                // /proc changes under our feet; the next round reads it again
            }
        }

        private void scanWorkspaces() {
            if (!Files.isDirectory(workspaces)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(workspaces)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    String content = read(file);
                    workspaceFiles.incrementAndGet();
                    check("workspace file " + workspaces.relativize(file), content);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the workspace is removed at the end of the build; the next round sees what is there
            }
        }

        private void check(String where, String content) {
            for (String secret : secrets) {
                if (content.contains(secret)) {
                    leaks.add("secret " + secret.substring(0, Math.min(8, secret.length())) + "... in " + where);
                }
            }
        }

        private static String read(Path file) {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
