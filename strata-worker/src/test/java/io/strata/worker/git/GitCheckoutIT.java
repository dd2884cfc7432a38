package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.worker.git.GitCheckoutException.Failure;
import io.strata.testkit.GitHttpServerFixture;
import io.strata.testkit.GitRepoFixture;
import io.strata.testkit.RefusingPort;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCheckoutIT {
    @org.junit.jupiter.api.AfterEach
    void awaitSpareTrees() {
        SpareTree.awaitRefills(); // before @TempDir removes the caches
    }

    private static GitRepoFixture repo;
    private static String first;
    private static String second;
    private static String onFeature;

    @TempDir
    Path workspaces;

    @TempDir
    Path caches;

    /** main: first -> second (HEAD); feature: first -> onFeature; tags v1 (light), v1.1 (annotated). */
    @BeforeAll
    static void makeRepository(@TempDir Path dir) {
        repo = GitRepoFixture.create(dir.resolve("origin"));
        first = repo.write("Dockerfile", "FROM base:1\n").commit("first");
        repo.tag("v1").annotatedTag("v1.1", "release 1.1");
        onFeature = repo.branch("feature").write("Dockerfile", "FROM base:feature\n").commit("feature work");
        second = repo.checkout("main").write("Dockerfile", "FROM base:2\n").commit("second");
    }

    @AfterAll
    static void closeRepository() {
        repo.close();
    }

    private CheckedOutSource checkout(String ref) throws GitCheckoutException {
        return new GitCheckout(repo.uri(), ref, workspaces.resolve("ws"), caches).call();
    }

    @Test
    void branchNameChecksOutItsTip() throws Exception {
        CheckedOutSource source = checkout("feature");

        assertThat(source.commitId()).isEqualTo(onFeature);
        assertThat(source.dir().resolve("Dockerfile")).hasContent("FROM base:feature");
    }

    @Test
    void originSlashBranchAsOsbsClientPassesIt() throws Exception {
        assertThat(checkout("origin/feature").commitId()).isEqualTo(onFeature);
    }

    @Test
    void lightweightAndAnnotatedTagsResolveToTheirCommit() throws Exception {
        assertThat(checkout("v1").commitId()).isEqualTo(first);
        assertThat(new GitCheckout(repo.uri(), "v1.1", workspaces.resolve("ws2"), caches).call().commitId()).isEqualTo(first);
    }

    @Test
    void fullAndAbbreviatedCommitIds() throws Exception {
        CheckedOutSource full = checkout(first);
        CheckedOutSource abbreviated = new GitCheckout(repo.uri(), second.substring(0, 8), workspaces.resolve("ws2"), caches).call();

        assertThat(full.commitId()).isEqualTo(first);
        assertThat(full.dir().resolve("Dockerfile")).hasContent("FROM base:1");
        assertThat(abbreviated.commitId()).isEqualTo(second);
    }

    @Test
    void givenBranchIsTheOnlyOneFetchedAndTheWorkspaceHasNoGitDirectory() throws Exception {
        CheckedOutSource source = new GitCheckout(repo.uri(), "feature", workspaces.resolve("ws"), caches)
                .branch("feature").call();

        assertThat(source.commitId()).isEqualTo(onFeature);
        assertThat(source.dir().resolve(".git")).doesNotExist();
        try (Repository cache = openCache(repo.uri())) {
            assertThat(cache.getRefDatabase().getRefs()).extracting(Ref::getName).containsExactly("refs/heads/feature");
        }
    }

    @Test
    void aCommitIdOnTheGivenBranchIsFetchedByItself() throws Exception {
        CheckedOutSource source = new GitCheckout(repo.uri(), first, workspaces.resolve("ws"), caches).branch("main").call();

        assertThat(source.commitId()).isEqualTo(first);
        assertThat(source.dir().resolve("Dockerfile")).hasContent("FROM base:1");
        try (Repository cache = openCache(repo.uri())) {
            assertThat(cache.getObjectDatabase().getShallowCommits()).extracting(ObjectId::name).containsExactly(first);
            assertThat(cache.getObjectDatabase().has(ObjectId.fromString(second))).as("the branch's tip").isFalse();
        }
    }

    @Test
    void theFirstFetchIsShallowAndHoldsOnlyTheCommitAskedFor() throws Exception {
        checkout("main");

        try (Repository cache = openCache(repo.uri())) {
            assertThat(cache.getObjectDatabase().getShallowCommits()).extracting(ObjectId::name).containsExactly(second);
            assertThat(cache.getObjectDatabase().has(ObjectId.fromString(first))).as("the parent commit").isFalse();
            assertThat(cache.getObjectDatabase().has(ObjectId.fromString(onFeature))).as("another branch").isFalse();
        }
    }

    @Test
    void progressLinesReachTheConsumer() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();

        new GitCheckout(repo.uri(), "main", workspaces.resolve("ws"), caches).progress(lines::add).call();

        assertThat(lines).isNotEmpty().allMatch(line -> !line.isBlank());
        assertThat(lines).anyMatch(line -> line.endsWith(": done") || line.contains(": done ("));
    }

    @Test
    void unknownRefIsRefNotFoundAndTheWorkspaceIsRemoved() {
        Path dir = workspaces.resolve("ws");

        assertThatThrownBy(() -> new GitCheckout(repo.uri(), "no-such-tag", dir, caches).call())
                .isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.GIT_REF_NOT_FOUND);
                    assertThat(e.reason()).isEqualTo("GIT_REF_NOT_FOUND");
                    assertThat(e.getMessage()).isEqualTo(repo.uri() + " has no ref \"no-such-tag\"");
                    assertThat(e.getSuppressed()).as("failures to remove the workspace").isEmpty();
                });
        assertThat(dir).doesNotExist();
    }

    /**
     * The cause of the workspace left behind now and then: JGit's gc after the fetch, in a
     * background thread. The cache never gcs either: it keeps the objects later fetches build on.
     */
    @Test
    void theCacheNeverStartsAGc() throws Exception {
        checkout("main");

        try (Repository cache = openCache(repo.uri())) {
            var config = cache.getConfig();
            assertThat(config.getBoolean("gc", "autoDetach", true)).isFalse();
            assertThat(config.getInt("gc", "auto", -1)).isZero();
            assertThat(cache.getDirectory().toPath().resolve("gc.log.lock")).doesNotExist();
        }
    }

    @Test
    void unknownCommitIdIsRefNotFound() {
        String missing = "0123456789abcdef0123456789abcdef01234567";

        assertThatThrownBy(() -> checkout(missing)).isInstanceOfSatisfying(GitCheckoutException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.GIT_REF_NOT_FOUND));
    }

    @Test
    void unknownBranchIsRefNotFoundNamingTheBranch() {
        Path dir = workspaces.resolve("ws");

        assertThatThrownBy(() -> new GitCheckout(repo.uri(), first, dir, caches).branch("nope").call())
                .isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.GIT_REF_NOT_FOUND);
                    assertThat(e.getMessage()).contains("branch \"nope\"");
                });
        assertThat(dir).doesNotExist();
    }

    @Test
    void missingRepositoryIsUnreachable(@TempDir Path nowhere) {
        Path dir = workspaces.resolve("ws");
        URI missing = nowhere.resolve("no-repo").toUri();

        assertThatThrownBy(() -> new GitCheckout(missing, "main", dir, caches).call())
                .isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                    assertThat(e.failure()).isEqualTo(Failure.GIT_UNREACHABLE);
                    assertThat(e.getMessage()).startsWith("cannot reach git repository " + missing);
                });
        assertThat(dir).doesNotExist();
    }

    @Test
    void refusedConnectionIsUnreachableAndHidesCredentials() {
        try (RefusingPort refusing = RefusingPort.open()) {
            URI closedPort = URI.create("http://user:s3cret@127.0.0.1:" + refusing.port() + "/app.git");

            assertThatThrownBy(() -> new GitCheckout(closedPort, "main", workspaces.resolve("ws"), caches).call())
                    .isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.GIT_UNREACHABLE);
                        assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("user:");
                    });
        }
    }

    @Test
    void credentialsInTheUriAreSentAsBasicAuthAndNothingInTheCheckoutHoldsThem() throws Exception {
        String token = "tok-" + java.util.UUID.randomUUID();
        try (GitHttpServerFixture server = GitHttpServerFixture.start(repo.directory().getParent(), "builder", token)) {
            List<String> progress = new CopyOnWriteArrayList<>();

            CheckedOutSource source = new GitCheckout(server.uriWithCredentials("origin"), "feature", workspaces.resolve("ws"), caches)
                    .progress(progress::add).call();

            assertThat(source.commitId()).isEqualTo(onFeature);
            assertThat(server.authorizedRequests()).isPositive();
            assertThat(server.requestTargets()).noneMatch(target -> target.contains(token));
            assertThat(filesContaining(source.dir(), token)).as("files of the checkout holding the token").isEmpty();
            assertThat(filesContaining(source.dir(), "builder:")).isEmpty();
            assertThat(filesContaining(caches, token)).as("files of the cache holding the token").isEmpty();
            assertThat(filesContaining(caches, "builder:")).isEmpty();
            try (Repository cache = openCache(server.uri("origin"))) {
                assertThat(cache.getConfig().getString("strata", null, "url")).isEqualTo(server.uri("origin").toString());
                assertThat(cache.getConfig().getSubsections("remote")).isEmpty();
            }
            assertThat(progress).noneMatch(line -> line.contains(token));
        }
    }

    @Test
    void aTokenGivenAsTheUserNameIsUsedToo() throws Exception {
        String token = "ghp_" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (GitHttpServerFixture server = GitHttpServerFixture.start(repo.directory().getParent(), token, "")) {
            URI tokenAsUser = URI.create(server.uri("origin").toString().replace("http://", "http://" + token + "@"));

            CheckedOutSource source = new GitCheckout(tokenAsUser, "main", workspaces.resolve("ws"), caches).call();

            assertThat(source.commitId()).isEqualTo(second);
            assertThat(filesContaining(source.dir(), token)).isEmpty();
            assertThat(filesContaining(caches, token)).isEmpty();
        }
    }

    @Test
    void wrongCredentialsAreAuthFailedAndNeverShown() {
        Path dir = workspaces.resolve("ws");
        try (GitHttpServerFixture server = GitHttpServerFixture.start(repo.directory().getParent(), "builder", "right")) {
            URI wrong = URI.create(server.uri("origin").toString().replace("http://", "http://builder:wr0ngpass@"));

            assertThatThrownBy(() -> new GitCheckout(wrong, "main", dir, caches).call())
                    .isInstanceOfSatisfying(GitCheckoutException.class, e -> {
                        assertThat(e.failure()).isEqualTo(Failure.GIT_AUTH_FAILED);
                        assertThat(e.getMessage()).contains(server.uri("origin").toString()).doesNotContain("wr0ngpass");
                    });
            assertThat(server.refusedRequests()).isPositive();
        }
        assertThat(dir).doesNotExist();
    }

    private Repository openCache(URI uri) throws IOException {
        return new FileRepositoryBuilder().setGitDir(GitCheckout.cacheDir(caches, uri).toFile()).setMustExist(true).build();
    }

    /** Files under {@code root} whose bytes contain {@code secret}. */
    private static List<Path> filesContaining(Path root, String secret) throws IOException {
        // The spare copy of the checked-out tree is written in the background: walking the cache while it is,
        // a file seen in the listing could be renamed away before it is read (NoSuchFileException). Once written,
        // the spare is searched too.
        SpareTree.awaitRefills();
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                            .contains(new String(needle, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aCheckoutRunsOnlyOnce() throws Exception {
        GitCheckout checkout = new GitCheckout(repo.uri(), "main", workspaces.resolve("ws"), caches);
        checkout.call();

        assertThatThrownBy(checkout::call).isInstanceOf(IllegalStateException.class);
    }
}
