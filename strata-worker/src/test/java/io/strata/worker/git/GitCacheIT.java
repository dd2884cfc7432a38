package io.strata.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.GitHttpServerFixture;
import io.strata.testkit.GitRepoFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-repository cache: what a later build fetches, concurrent builds, servers that refuse ids. */
class GitCacheIT {
    private static final int FILES = 60;

    @TempDir
    Path root;

    private GitRepoFixture repo;
    private Path caches;
    private int workspaceCount;

    /** A repository of 60 files in three directories, committed once. */
    @BeforeEach
    void makeRepository() {
        repo = GitRepoFixture.create(root.resolve("repos/app"));
        for (int i = 0; i < FILES; i++) {
            repo.write("dir" + (i % 3) + "/file-" + i + ".txt", "content of file " + i + "\n".repeat(i));
        }
        repo.write("Dockerfile", "FROM base:1\n").commit("first");
        caches = root.resolve("caches");
    }

    @AfterEach
    void closeRepository() {
        SpareTree.awaitRefills(); // before @TempDir removes the caches
        repo.close();
    }

    private CheckedOutSource checkout(URI uri, String ref) throws GitCheckoutException {
        return new GitCheckout(uri, ref, root.resolve("workspaces/ws-" + workspaceCount++), caches).call();
    }

    @Test
    void aLaterBuildAtANewCommitFetchesOnlyTheNewObjects() throws Exception {
        checkout(repo.uri(), "main");
        PackCount afterFirst = packs();
        String changed = repo.write("dir1/file-1.txt", "changed\n").commit("change one file");

        CheckedOutSource second = checkout(repo.uri(), "main");

        assertThat(second.commitId()).isEqualTo(changed);
        assertThat(second.dir().resolve("dir1/file-1.txt")).hasContent("changed");
        assertThat(afterFirst.objects()).as("first fetch: commit, 4 trees, 61 blobs").isEqualTo(1 + 4 + FILES + 1);
        // The commit, the root tree, dir1's tree and the one changed blob; JGit's upload-pack (file://)
        // also sends the unchanged trees of a shallow commit. No unchanged blob comes again.
        assertThat(packs().minus(afterFirst).objects()).isBetween(4L, 6L);
    }

    /**
     * A build at a new commit gets hard links to the cache's checked-out tree, which changed only
     * where the commits differ; an earlier build's workspace, linked to the same files, keeps its
     * content (a changed path is written anew, never in place).
     */
    @Test
    void aNewCommitRewritesOnlyChangedPathsAndEarlierWorkspacesKeepTheirContent() throws Exception {
        repo.write("dir0/was-a-file", "file\n").write("dir2/gone.txt", "bye\n").commit("before");
        CheckedOutSource before = checkout(repo.uri(), "main");
        Files.delete(repo.directory().resolve("dir0/was-a-file"));
        Files.delete(repo.directory().resolve("dir2/gone.txt"));
        try (Git git = Git.open(repo.directory().toFile())) {
            git.rm().addFilepattern("dir0/was-a-file").addFilepattern("dir2/gone.txt").call();
        }
        repo.write("dir0/was-a-file/now-a-dir.txt", "dir\n").write("dir1/file-1.txt", "changed\n").write("new/added.txt", "new\n")
                .commit("after");
        List<String> progress = new CopyOnWriteArrayList<>();

        CheckedOutSource after = new GitCheckout(repo.uri(), "main", root.resolve("workspaces/after"), caches)
                .progress(progress::add).call();

        assertThat(after.dir().resolve("dir1/file-1.txt")).hasContent("changed");
        assertThat(after.dir().resolve("dir0/was-a-file/now-a-dir.txt")).hasContent("dir");
        assertThat(after.dir().resolve("new/added.txt")).hasContent("new");
        assertThat(after.dir().resolve("dir2/gone.txt")).doesNotExist();
        assertThat(fileCount(after.dir())).isEqualTo(FILES + 1 + 2);
        assertThat((Integer) Files.getAttribute(after.dir().resolve("dir2/file-2.txt"), "unix:nlink")).as("a hard link").isGreaterThan(1);
        assertThat(progress).anyMatch(line -> line.matches("Updated the cache's checked-out tree from [0-9a-f]{40}: 5 paths changed .*"));
        // the earlier build's workspace is untouched
        assertThat(before.dir().resolve("dir1/file-1.txt")).hasContent("content of file 1\n");
        assertThat(before.dir().resolve("dir0/was-a-file")).hasContent("file");
        assertThat(before.dir().resolve("dir2/gone.txt")).hasContent("bye");
    }

    /**
     * After a checkout a spare copy of the checked-out tree is made in the background; the next
     * checkout takes it (one rename) and changes only the paths its commit changed: modified,
     * removed, added, and a file that became a directory. Its content is the new commit's, an
     * earlier workspace keeps the old one, and a new spare of the new commit follows.
     */
    @Test
    void aRepeatCheckoutTakesTheSpareCopyAndChangesOnlyWhatItsCommitChanged() throws Exception {
        repo.write("dir0/was-a-file", "file\n").write("dir2/gone.txt", "bye\n").commit("before");
        CheckedOutSource before = checkout(repo.uri(), "main");
        SpareTree.awaitRefills();
        GitCache cache = GitCache.of(caches, repo.uri().toString());
        assertThat(cache.spareCommitFile()).hasContent(before.commitId());
        assertThat(fileCount(cache.spareDir())).isEqualTo(fileCount(before.dir()));
        Files.delete(repo.directory().resolve("dir0/was-a-file"));
        Files.delete(repo.directory().resolve("dir2/gone.txt"));
        try (Git git = Git.open(repo.directory().toFile())) {
            git.rm().addFilepattern("dir0/was-a-file").addFilepattern("dir2/gone.txt").call();
        }
        String afterCommit = repo.write("dir0/was-a-file/now-a-dir.txt", "dir\n").write("dir1/file-1.txt", "changed\n")
                .write("new/added.txt", "new\n").commit("after");
        List<String> progress = new CopyOnWriteArrayList<>();

        CheckedOutSource after = new GitCheckout(repo.uri(), "main", root.resolve("workspaces/after"), caches)
                .progress(progress::add).call();

        assertThat(progress).anyMatch(line -> line.startsWith("Took the spare copy of the checked-out tree (at " + before.commitId()
                + ") and changed 5 paths"));
        assertThat(progress).noneMatch(line -> line.startsWith("Linked"));
        assertThat(after.dir().resolve("dir1/file-1.txt")).hasContent("changed");
        assertThat(after.dir().resolve("dir0/was-a-file/now-a-dir.txt")).hasContent("dir");
        assertThat(after.dir().resolve("new/added.txt")).hasContent("new");
        assertThat(after.dir().resolve("dir2/gone.txt")).doesNotExist();
        assertThat(after.dir().resolve("dir2/file-2.txt")).hasContent("content of file 2\n\n");
        assertThat(fileCount(after.dir())).isEqualTo(FILES + 1 + 2);
        assertThat(cache.spareDir()).as("taken, not shared").doesNotExist();
        assertThat(before.dir().resolve("dir1/file-1.txt")).hasContent("content of file 1\n");
        assertThat(before.dir().resolve("dir0/was-a-file")).hasContent("file");
        SpareTree.awaitRefills();
        assertThat(cache.spareCommitFile()).hasContent(afterCommit);
        assertThat(cache.spareDir().resolve("dir0/was-a-file/now-a-dir.txt")).hasContent("dir");
    }

    /** A spare without its commit file (its process died while making or taking it) is never used, only replaced. */
    @Test
    void aHalfMadeSpareIsNotUsed() throws Exception {
        checkout(repo.uri(), "main");
        SpareTree.awaitRefills();
        GitCache cache = GitCache.of(caches, repo.uri().toString());
        Files.delete(cache.spareCommitFile());
        Files.writeString(cache.spareDir().resolve("stray.txt"), "left by a dead process\n");
        Files.createDirectories(cache.spareInProgress().resolve("dir0"));
        repo.write("dir1/file-1.txt", "changed\n").commit("change");
        List<String> progress = new CopyOnWriteArrayList<>();

        CheckedOutSource next = new GitCheckout(repo.uri(), "main", root.resolve("workspaces/next"), caches)
                .progress(progress::add).call();

        assertThat(progress).noneMatch(line -> line.startsWith("Took"));
        assertThat(next.dir().resolve("stray.txt")).doesNotExist();
        assertThat(next.dir().resolve("dir1/file-1.txt")).hasContent("changed");
        assertThat(fileCount(next.dir())).isEqualTo(FILES + 1);
        SpareTree.awaitRefills();
        assertThat(cache.spareCommitFile()).hasContent(next.commitId());
        assertThat(cache.spareDir().resolve("stray.txt")).doesNotExist();
        assertThat(cache.spareInProgress()).doesNotExist();
    }

    @Test
    void aCommitAlreadyInTheCacheIsNotFetchedAgain() throws Exception {
        String head = checkout(repo.uri(), "main").commitId();
        PackCount afterFirst = packs();
        List<String> progress = new CopyOnWriteArrayList<>();

        CheckedOutSource byId = new GitCheckout(repo.uri(), head, root.resolve("workspaces/again"), caches)
                .progress(progress::add).call();
        CheckedOutSource byBranch = checkout(repo.uri(), "main");

        assertThat(byId.commitId()).isEqualTo(head);
        assertThat(byBranch.commitId()).isEqualTo(head);
        assertThat(packs().minus(afterFirst).packs()).isEmpty();
        assertThat(progress).contains("commit " + head + " is in the cache: nothing to fetch");
    }

    /**
     * A commit id resolved once is answered from what the cache remembered of it, without opening the
     * repository; a branch is always asked for, and a remembered answer that was damaged is asked again.
     */
    @Test
    void aCommitIdResolvedBeforeIsAnsweredFromTheCache() throws Exception {
        String head = repo.head();
        String second = repo.write("Dockerfile", "FROM base:2\n").commit("second");
        List<String> progress = new CopyOnWriteArrayList<>();

        ResolvedCommit first = new GitCheckout(repo.uri(), head, root.resolve("unused"), caches).resolve("Dockerfile");
        ResolvedCommit again = new GitCheckout(repo.uri(), head, root.resolve("unused"), caches)
                .progress(progress::add).resolve("Dockerfile");
        ResolvedCommit byBranch = new GitCheckout(repo.uri(), "main", root.resolve("unused"), caches)
                .progress(progress::add).resolve("Dockerfile");

        assertThat(again.treeId()).isEqualTo(first.treeId());
        assertThat(new String(again.file().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("FROM base:1\n");
        assertThat(progress).contains("commit " + head + " was resolved before: its tree and Dockerfile are known from the cache");
        assertThat(byBranch.commitId()).isEqualTo(second);
        assertThat(new String(byBranch.file().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("FROM base:2\n");
        assertThat(progress).noneMatch(line -> line.startsWith("commit " + second + " was resolved before"));

        Path cacheDir = GitCheckout.cacheDir(caches, repo.uri());
        try (var remembered = Files.list(cacheDir.resolve("strata-resolved"))) {
            for (Path file : remembered.toList()) {
                Files.writeString(file, "damaged");
            }
        }
        progress.clear();
        ResolvedCommit afterDamage = new GitCheckout(repo.uri(), head, root.resolve("unused"), caches)
                .progress(progress::add).resolve("Dockerfile");
        assertThat(afterDamage.treeId()).isEqualTo(first.treeId());
        assertThat(new String(afterDamage.file().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("FROM base:1\n");
        assertThat(progress).contains("commit " + head + " is in the cache: nothing to fetch");
    }

    /** Git's protocol v2 serves any reachable commit by id: the commit comes alone, shallow. */
    @Test
    void anOlderCommitIsFetchedByIdOverHttp() throws Exception {
        String first = repo.head();
        repo.write("Dockerfile", "FROM base:2\n").commit("second");
        try (GitHttpServerFixture server = GitHttpServerFixture.start(repo.directory().getParent(), "builder", "pw")) {
            CheckedOutSource source = checkout(server.uriWithCredentials("app"), first);

            assertThat(source.commitId()).isEqualTo(first);
            assertThat(source.dir().resolve("Dockerfile")).hasContent("FROM base:1");
            try (Repository cache = openCache(server.uri("app"))) {
                assertThat(cache.getObjectDatabase().getShallowCommits()).extracting(ObjectId::name).containsExactly(first);
                assertThat(cache.exactRef(GitCheckout.COMMIT_REFS + first)).as("a ref, so later fetches name it").isNotNull();
            }
        }
    }

    /**
     * git-upload-pack speaking protocol v0 over a pipe refuses ids it did not advertise (git over
     * HTTP and protocol v2 serve any reachable commit): the branch's history is fetched instead.
     */
    @Test
    void aServerThatRefusesIdsGetsAskedForTheHistory() throws Exception {
        String first = repo.head();
        repo.write("Dockerfile", "FROM base:2\n").commit("second");
        checkout(repo.uri(), "main");
        try (Repository cache = openCache(repo.uri())) {
            cache.getConfig().setInt("protocol", null, "version", 0);
            cache.getConfig().save();
        }
        List<String> progress = new CopyOnWriteArrayList<>();

        CheckedOutSource source = new GitCheckout(repo.uri(), first, root.resolve("workspaces/v0"), caches)
                .uploadPack(gitUploadPack()).branch("main").progress(progress::add).call();

        assertThat(source.commitId()).isEqualTo(first);
        assertThat(source.dir().resolve("Dockerfile")).hasContent("FROM base:1");
        assertThat(progress).as(String.join("\n", progress))
                .anyMatch(line -> line.startsWith("the server does not serve commit " + first));
        try (Repository cache = openCache(repo.uri())) {
            assertThat(cache.getObjectDatabase().getShallowCommits()).as("the history is complete now").isEmpty();
        }
    }

    @Test
    void concurrentCheckoutsOfOneRepositoryShareTheCacheSafely() throws Exception {
        List<String> commits = new ArrayList<>();
        commits.add(repo.head());
        for (int i = 0; i < 3; i++) {
            commits.add(repo.write("Dockerfile", "FROM base:" + i + "\n").commit("commit " + i));
        }
        int builds = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(builds);
        try {
            List<Future<CheckedOutSource>> results = new ArrayList<>();
            for (int i = 0; i < builds; i++) {
                String commit = commits.get(i % commits.size());
                Path dir = root.resolve("workspaces/concurrent-" + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return new GitCheckout(repo.uri(), commit, dir, caches).call();
                }));
            }
            start.countDown();
            for (int i = 0; i < builds; i++) {
                CheckedOutSource source = results.get(i).get();
                assertThat(source.commitId()).isEqualTo(commits.get(i % commits.size()));
                assertThat(fileCount(source.dir())).isEqualTo(FILES + 1);
            }
        } finally {
            pool.shutdownNow();
        }
        // git's own fsck: every object readable, every ref pointing at a complete commit
        Process fsck = new ProcessBuilder("git", "--git-dir=" + GitCheckout.cacheDir(caches, repo.uri()), "fsck", "--no-dangling")
                .redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(report).isZero();
    }

    /** Two processes (the lock is a file lock across them) and two threads of this one, at once. */
    @Test
    void checkoutsFromSeveralProcessesShareTheCacheSafely() throws Exception {
        List<String> commits = new ArrayList<>(List.of(repo.head()));
        commits.add(repo.write("Dockerfile", "FROM base:a\n").commit("a"));
        commits.add(repo.write("Dockerfile", "FROM base:b\n").commit("b"));
        commits.add(repo.write("Dockerfile", "FROM base:c\n").commit("c"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), CheckoutProcessMain.class.getName(),
                    repo.uri().toString(), commits.get(i), root.resolve("workspaces/process-" + i).toString(), caches.toString())
                    .redirectErrorStream(true).start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<CheckedOutSource>> threads = new ArrayList<>();
            for (int i = 2; i < 4; i++) {
                String commit = commits.get(i);
                Path dir = root.resolve("workspaces/thread-" + i);
                threads.add(pool.submit(() -> new GitCheckout(repo.uri(), commit, dir, caches).call()));
            }
            for (int i = 0; i < 2; i++) {
                String output = new String(processes.get(i).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(processes.get(i).waitFor()).as(output).isZero();
                assertThat(output).contains(commits.get(i));
                assertThat(fileCount(root.resolve("workspaces/process-" + i))).isEqualTo(FILES + 1);
            }
            assertThat(threads.get(0).get().dir().resolve("Dockerfile")).hasContent("FROM base:b");
            assertThat(threads.get(1).get().dir().resolve("Dockerfile")).hasContent("FROM base:c");
            assertThat(root.resolve("workspaces/process-1/Dockerfile")).hasContent("FROM base:a");
            assertThat(root.resolve("workspaces/process-0/Dockerfile")).hasContent("FROM base:1");
        } finally {
            pool.shutdownNow();
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void modesAndLinksAreWrittenAsGitWritesThem() throws Exception {
        Path work = repo.directory();
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(work.resolve("run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(work.resolve("link"), Path.of("dir0/file-0.txt"));
        try (Git git = Git.open(work.toFile())) {
            git.add().addFilepattern("run.sh").addFilepattern("link").call();
        }
        repo.commit("script and link");

        CheckedOutSource source = checkout(repo.uri(), "main");

        assertThat(Files.getPosixFilePermissions(source.dir().resolve("run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(source.dir().resolve("Dockerfile"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.readSymbolicLink(source.dir().resolve("link"))).isEqualTo(Path.of("dir0/file-0.txt"));
        assertThat(source.dir().resolve("dir2/file-2.txt")).hasContent("content of file 2\n\n");
    }

    @Test
    void writingFilesReportsProgressWithBytesAndRate() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();

        new GitCheckout(repo.uri(), "main", root.resolve("workspaces/progress"), caches).threads(3).progress(progress::add).call();

        assertThat(progress).anyMatch(line -> line.matches("Fetched \\d+ objects, [0-9.]+ MB in [0-9.]+ s \\([0-9.]+ MB/s\\)"));
        assertThat(progress).anyMatch(line -> line.matches(
                "Writing files: done \\(" + (FILES + 1) + " files, [0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB/s\\)"));
    }

    /** git's own git-upload-pack program (JGit takes the bare name for its built-in one). */
    private static String gitUploadPack() throws IOException, InterruptedException {
        Process exec = new ProcessBuilder("git", "--exec-path").start();
        String dir = new String(exec.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(exec.waitFor()).isZero();
        return Path.of(dir, "git-upload-pack").toString();
    }

    private PackCount packs() throws IOException {
        try (Repository cache = openCache(repo.uri())) {
            return PackCount.of(cache);
        }
    }

    private Repository openCache(URI uri) throws IOException {
        return new FileRepositoryBuilder().setGitDir(GitCheckout.cacheDir(caches, uri).toFile()).setMustExist(true).build();
    }

    private static long fileCount(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
