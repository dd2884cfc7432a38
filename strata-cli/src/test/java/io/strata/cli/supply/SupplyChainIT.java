package io.strata.cli.supply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.TestCli;
import io.strata.testkit.BuildParts;
import io.strata.testkit.ChildEnvironment;
import io.strata.testkit.DebianBaseImage;
import io.strata.testkit.GitRepoFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real build on a real Debian base image (mmdebstrap) with a signing key: its SBOM and provenance
 * are fetched by the image's digest straight from the registry's HTTP API (the referrers tag of
 * the OCI distribution spec, as registry 2.8 has no referrers API), not through Strata's client,
 * and checked with other tools: the CycloneDX library's schema validation, dpkg-query over the
 * pushed image's root, openssl for the DSSE signature. Then {@code strata verify} passes with the
 * right key and fails with another key or on an image without attestations. And a commit built
 * twice has one digest.
 */
class SupplyChainIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Long before any test runs: a build-date equal to it can only come from the commit. */
    private static final Instant COMMIT_TIME = Instant.parse("2001-02-03T04:05:06Z");
    static BuildParts parts;
    static String debian;
    static Path keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(@TempDir Path keyDir) throws Exception {
        parts = BuildParts.start();
        DebianBaseImage.push(parts.buildah(), parts.registry(), "base/debian:12");
        debian = parts.registry().reference("base/debian:12");
        keys = keyDir;
        for (String name : List.of("signing", "other")) {
            run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                    keys.resolve(name + ".pem").toString());
            run("openssl", "pkey", "-in", keys.resolve(name + ".pem").toString(), "-pubout", "-out",
                    keys.resolve(name + ".pub").toString());
        }
    }

    @AfterAll
    static void stop() {
        if (parts != null) {
            parts.close();
        }
    }

    /**
     * A builder on the fixture's own buildah storage, where the base images were made: its builds
     * pull no parent layers and the image it built is there for the dpkg check (saves most of a
     * minute of the Debian image's layers under vfs). The clean builder of the reproducibility test
     * has storage of its own.
     */
    private Path config(String extra) throws Exception {
        return builder("main", extra, parts.buildah().storageRoot().getParent());
    }

    @Test
    void signedSbomAndProvenanceAreFoundByTheImageDigestAndMatchTheImage() throws Exception {
        // build-date from the wall clock here (the reproducibility test holds the default, the commit's time).
        Path config = config("strata_signing_key = " + keys.resolve("signing.pem") + "\nstrata_build_date = wallclock\n");
        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + debian + "\nLABEL name=supply/app version=2\nCOPY app.txt /srv/app.txt\n"
                + "RUN echo built > /srv/built.txt && rm /etc/issue.net\n");
        repo.write("app.txt", "the application\n");
        String commit = commitAt(repo, "app", COMMIT_TIME);
        Instant beforeBuild = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestCli.Run build = TestCli.in(dir).run("build", "--config", config.toString(), "--component", "supply",
                "--git-uri", repo.uri().toString(), "--git-ref", commit, "--json");
        assertThat(build.exit()).as(build.err()).isZero();
        JsonNode record = JSON.readTree(build.out());
        JsonNode output = record.path("outputs").path(0);
        String digest = output.path("digest").asText();
        String repository = output.path("repository").asText();
        String name = repository.substring(repository.indexOf('/') + 1);
        assertThat(output.path("attestations")).hasSize(2);
        Instant buildDate = Instant.parse(output.path("labels").path("build-date").asText());
        assertThat(buildDate).as("strata_build_date = wallclock: when the build ran, not the commit's time")
                .isAfterOrEqualTo(beforeBuild).isNotEqualTo(COMMIT_TIME);
        // The SBOM and provenance went to the registry together: one push, by attach_provenance.
        TestCli.Run log = TestCli.in(dir).run("build-logs", "--config", config.toString(), record.path("id").asText());
        assertThat(log.out()).contains("the SBOM is being stored; attach_provenance lists it with the provenance");

        // Independently of Strata: the referrers tag, then each artifact manifest and its one blob.
        JsonNode index = JSON.readTree(get(name, "manifests/" + digest.replace(':', '-'), "application/vnd.oci.image.index.v1+json"));
        byte[] sbom = null;
        byte[] envelope = null;
        for (JsonNode entry : index.path("manifests")) {
            JsonNode manifest = JSON.readTree(get(name, "manifests/" + entry.path("digest").asText(),
                    "application/vnd.oci.image.manifest.v1+json"));
            assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(digest);
            assertThat(manifest.path("artifactType").asText()).isEqualTo(entry.path("artifactType").asText());
            JsonNode layer = manifest.path("layers").path(0);
            byte[] blob = get(name, "blobs/" + layer.path("digest").asText(), "*/*");
            switch (manifest.path("artifactType").asText()) {
                case "application/vnd.cyclonedx+json" -> sbom = blob;
                case "application/vnd.in-toto+json" -> {
                    assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dsse.envelope.v1+json");
                    envelope = blob;
                }
                default -> throw new AssertionError("unexpected artifact " + manifest);
            }
        }
        assertThat(sbom).as("SBOM in the referrers tag").isNotNull();
        assertThat(envelope).as("provenance in the referrers tag").isNotNull();

        // SBOM: valid CycloneDX; its deb packages are exactly what dpkg says is installed in the pushed image.
        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
        JsonNode bom = JSON.readTree(sbom);
        Set<String> sbomPackages = new TreeSet<>();
        List<String> files = new ArrayList<>();
        for (JsonNode component : bom.path("components")) {
            String purl = component.path("purl").asText();
            if (purl.startsWith("pkg:deb/debian/")) {
                sbomPackages.add(component.path("name").asText() + " " + component.path("version").asText());
            }
            if (component.path("type").asText().equals("file")) {
                files.add(component.path("name").asText() + " " + component.path("hashes").path(0).path("content").asText());
            }
        }
        assertThat(sbomPackages).hasSizeGreaterThan(50).isEqualTo(dpkgInstalled(repository + "@" + digest));
        // The build's layers only: its own files (and the empty /etc/hosts buildah's RUN leaves), no parent's file,
        // and not the file the RUN removed.
        assertThat(files).contains("/srv/app.txt " + sha256("the application\n"), "/srv/built.txt " + sha256("built\n"))
                .allMatch(f -> f.startsWith("/srv/") || f.startsWith("/etc/hosts ") || f.startsWith("/etc/resolv.conf "));
        assertThat(bom.path("metadata").path("component").path("pedigree").path("commits").path(0).path("uid").asText())
                .isEqualTo(commit);
        assertThat(bom.toString()).contains(debian.substring(0, debian.indexOf(':', debian.indexOf('/'))) + "@sha256:");

        // Provenance: the signature verifies with openssl over the DSSE pre-authentication encoding.
        JsonNode dsse = JSON.readTree(envelope);
        byte[] payload = Base64.getDecoder().decode(dsse.path("payload").asText());
        String type = dsse.path("payloadType").asText();
        byte[] head = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        Path pae = dir.resolve("pae.bin");
        Files.write(pae, head);
        Files.write(pae, payload, java.nio.file.StandardOpenOption.APPEND);
        Path signature = dir.resolve("sig.der");
        Files.write(signature, Base64.getDecoder().decode(dsse.path("signatures").path(0).path("sig").asText()));
        assertThat(run("openssl", "dgst", "-sha256", "-verify", keys.resolve("signing.pub").toString(), "-signature",
                signature.toString(), pae.toString())).contains("Verified OK");
        JsonNode statement = JSON.readTree(payload);
        assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(statement.path("subject").path(0).path("digest").path("sha256").asText()).isEqualTo(digest.substring(7));
        JsonNode predicate = statement.path("predicate");
        assertThat(predicate.path("runDetails").path("metadata").path("invocationId").asText()).isEqualTo(record.path("id").asText());
        assertThat(predicate.path("runDetails").path("builder").path("id").asText()).startsWith("https://strata.io/builders/strata@");
        assertThat(predicate.path("buildDefinition").path("externalParameters").path("component").asText()).isEqualTo("supply");
        assertThat(predicate.path("buildDefinition").path("resolvedDependencies").toString())
                .contains("\"gitCommit\":\"" + commit + "\"", output.path("parent_images").path(debian).asText().substring(
                        output.path("parent_images").path(debian).asText().indexOf("@sha256:") + 8));

        // strata verify: 0 with the right key; 1 with another key, naming the signature.
        TestCli.Run verified = TestCli.in(dir).run("verify", "--config", config.toString(), repository + "@" + digest,
                "--key", keys.resolve("signing.pub").toString());
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("sbom", "provenance", "signature verified").doesNotContain("MISSING", "INVALID");
        TestCli.Run otherKey = TestCli.in(dir).run("verify", "--config", config.toString(), repository + "@" + digest,
                "--key", keys.resolve("other.pub").toString());
        assertThat(otherKey.exit()).isEqualTo(1);
        assertThat(otherKey.err()).contains("[SIGNATURE_INVALID]").contains("fix:");
        TestCli.Run noKey = TestCli.in(dir).run("verify", "--config", config.toString(), repository + "@" + digest);
        assertThat(noKey.exit()).isEqualTo(1);

        TestCli.Run shown = TestCli.in(dir).run("get-build", "--config", config.toString(), record.path("id").asText());
        assertThat(shown.out()).contains("sbom", "application/vnd.cyclonedx+json", "provenance", "signed", "referrers-tag");
    }

    private Path builder(String name, String extra, Path buildahRoot) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = home.resolve("osbs.conf");
        Files.writeString(config, "[default]\nregistry_uri = http://" + parts.registry().host() + "/v2\nstrata_home = "
                + home.resolve("strata") + "\nstrata_buildah_root = " + buildahRoot + "\n" + extra);
        return config;
    }

    private JsonNode buildRelease7(Path config, GitRepoFixture repo, String commit) throws Exception {
        TestCli.Run run = TestCli.in(config.getParent()).run("build", "--config", config.toString(), "--component", "repro",
                "--git-uri", repo.uri().toString(), "--git-ref", commit, "--release", "7", "--build-arg", "GREETING=hi",
                "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    /**
     * Reproducible: the same commit, build args and release built twice, the second time by a clean
     * builder (a store and buildah storage of its own, nothing cached: not even the parent), push the same manifest (same
     * digest, layers, config); only the unique build tag differs. Fails without buildah's --timestamp.
     */
    @Test
    void theSameCommitBuiltAgainOnACleanBuilderHasTheSameDigest() throws Exception {
        GitRepoFixture repo = GitRepoFixture.create(dir.resolve("repo"));
        repo.write("Dockerfile", "FROM " + parts.baseImage() + "\nARG GREETING\nLABEL name=repro/app version=1\n"
                + "COPY hello.txt /srv/hello.txt\nRUN echo \"$GREETING\" > /srv/greeting\n");
        repo.write("hello.txt", "hello\n");
        String commit = commitAt(repo, "reproducible", COMMIT_TIME);

        JsonNode first = buildRelease7(config(""), repo, commit).path("outputs").path(0);
        Path clean = dir.resolve("clean");
        JsonNode second = buildRelease7(builder("clean", "", clean.resolve("buildah")), repo, commit).path("outputs").path(0);

        assertThat(second.path("digest").asText()).isEqualTo(first.path("digest").asText()).startsWith("sha256:");
        assertThat(second.path("layer_digests")).isEqualTo(first.path("layer_digests"));
        assertThat(second.path("tags").path(0).asText()).isNotEqualTo(first.path("tags").path(0).asText());
        // build-date is the commit's time (strata_build_date's default), so it is the same for both builds.
        assertThat(first.path("labels").path("build-date").asText()).isEqualTo(COMMIT_TIME.toString());
        assertThat(second.path("labels").path("build-date").asText()).isEqualTo(COMMIT_TIME.toString());
    }

    /** Commits what was written with {@code time} as author and committer time (GitRepoFixture commits at now). */
    private String commitAt(GitRepoFixture repo, String message, Instant time) throws Exception {
        ChildEnvironment environment = ChildEnvironment.of(dir).with("GIT_AUTHOR_DATE", time.toString())
                .with("GIT_COMMITTER_DATE", time.toString()).with("GIT_CONFIG_NOSYSTEM", "1");
        String output = "";
        for (List<String> command : List.of(List.of("git", "add", "-A"), List.of("git", "-c", "user.name=Strata Test",
                "-c", "user.email=test@strata.invalid", "commit", "-q", "-m", message), List.of("git", "rev-parse", "HEAD"))) {
            Process process = environment.processBuilder(command).directory(repo.directory().toFile())
                    .redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(command + ": " + output).isZero();
        }
        return output.strip();
    }

    @Test
    void verifyFailsForAnImageWithoutAttestations() throws Exception {
        TestCli.Run run = TestCli.in(dir).run("verify", "--config", config("").toString(), parts.baseImage());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("sbom", "MISSING");
        assertThat(run.err()).contains("[ATTESTATION_MISSING]").doesNotContain("Exception");
    }

    /** "name version" of every package dpkg-query (the host's) lists as installed in the image's root. */
    private static Set<String> dpkgInstalled(String image) throws Exception {
        String container = parts.buildah().buildah("from", "--tls-verify=false", image).strip();
        try {
            String root = parts.buildah().buildah("mount", container).strip();
            Set<String> installed = new TreeSet<>();
            for (String line : run("dpkg-query", "--admindir=" + root + "/var/lib/dpkg", "-W", "-f",
                    "${db:Status-Status} ${Package} ${Version}\\n").lines().toList()) {
                if (line.startsWith("installed ")) {
                    installed.add(line.substring("installed ".length()));
                }
            }
            return installed;
        } finally {
            parts.buildah().buildah("rm", container);
        }
    }

    private static byte[] get(String repository, String path, String accept) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + parts.registry().host()
                + "/v2/" + repository + "/" + path)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
