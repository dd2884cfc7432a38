package io.strata.worker.git;

import io.strata.core.io.UrlCredentials;
import io.strata.worker.git.GitCheckoutException.Failure;
import io.strata.worker.process.SecretMasker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Checks one ref of a repository out into a fresh directory, the way a build needs its source:
 * {@code new GitCheckout(uri, ref, dir, cacheRoot).branch("main").progress(log::add).call()}.
 * Single use, like JGit's own commands.
 *
 * <p>Three parts, each as cheap as git allows (docs/builds.md, "Checkout"):
 * <ol>
 * <li>the commit comes into a per-repository bare cache under {@code cacheRoot} ({@link GitCache}),
 *     fetched shallow (depth 1) and alone: the one branch or tag asked for, or the commit id itself
 *     when the server serves ids (protocol v2 does; otherwise the branch's history is fetched). A
 *     commit already in the cache is not fetched again, and a new one brings only the objects the
 *     cache lacks;</li>
 * <li>the commit's tree is written by several threads straight from the cache's object database
 *     ({@link ParallelTreeWriter}) into the cache's checked-out tree, or, when that tree holds an
 *     earlier commit, only the changed paths are rewritten ({@link CheckedOutTree}); the directory
 *     is then made of hard links to it, so a build at a new commit costs metadata, not bytes; and
 *     when a spare copy of links was made in the background after the last checkout
 *     ({@link SpareTree}), the directory is that copy, renamed, with the changed paths replaced;</li>
 * <li>the directory gets no {@code .git}: nothing after the checkout reads it (the commit id is
 *     recorded from here), and a build context without one cannot leak a remote URL.</li>
 * </ol>
 *
 * <p>The ref may be a full or abbreviated commit id, a tag, a branch name, "origin/branch" (as
 * osbs-client passes it) or a "refs/..." name. A given branch must exist on the server. On any
 * failure the directory is removed, so a failed checkout leaves nothing behind.
 *
 * <p>Credentials written into the URI ({@code https://user:token@host/...}, or a token as the user
 * name) are used, never stored: JGit gets the URI without them and asks a CredentialsProvider when
 * the server wants HTTP Basic auth, so the cache's config, FETCH_HEAD and messages hold no secret.
 */
public final class GitCheckout {
    /** How many fetched-by-id commits a cache keeps refs for (their objects stay; the refs are "haves"). */
    static final int KEPT_COMMIT_REFS = 64;
    static final String COMMIT_REFS = "refs/strata/commits/";

    /** The URI as JGit sees it and the cache keeps it: without credentials. */
    private final String remoteUri;
    private final Optional<CredentialsProvider> credentials;
    private final SecretMasker masker;
    private final String gitRef;
    private final Path dir;
    private final Path cacheRoot;
    private Optional<String> gitBranch = Optional.empty();
    private Consumer<String> progress = line -> { };
    private Consumer<Transfer> transfers = transfer -> { };
    private int threads = ParallelTreeWriter.defaultThreads();
    private Optional<String> uploadPack = Optional.empty();
    private boolean called;

    /**
     * @param dir       where to check out; must not exist or be empty
     * @param cacheRoot where the per-repository caches live (the Strata home's {@code cache/git})
     */
    public GitCheckout(URI gitUri, String gitRef, Path dir, Path cacheRoot) {
        Objects.requireNonNull(gitUri, "gitUri");
        this.remoteUri = UrlCredentials.stripped(gitUri.toString());
        this.credentials = UrlCredentials.userInfo(gitUri.toString())
                .map(user -> new UsernamePasswordCredentialsProvider(user.user(), user.password()));
        this.masker = SecretMasker.forUrls(List.of(gitUri.toString()));
        this.gitRef = Objects.requireNonNull(gitRef, "gitRef");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot");
    }

    /** The branch the ref belongs to; it must exist on the server. */
    public GitCheckout branch(String branch) {
        this.gitBranch = Optional.ofNullable(branch).filter(b -> !b.isBlank());
        return this;
    }

    /** Where progress lines go (a build's log); credentials of the URI are masked in them. */
    public GitCheckout progress(Consumer<String> lines) {
        Objects.requireNonNull(lines, "lines");
        this.progress = line -> lines.accept(masker.mask(line));
        return this;
    }

    /** Who gets the figures of the fetch and of writing the files (the progress lines say them as text). */
    public GitCheckout transfers(Consumer<Transfer> listener) {
        this.transfers = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** How many threads write the files (default: four per core, 4 to 16). */
    public GitCheckout threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + count);
        }
        this.threads = count;
        return this;
    }

    /**
     * For tests: fetch from a local repository through this git-upload-pack program instead of
     * JGit's own upload-pack in this process (which serves any commit by id).
     */
    GitCheckout uploadPack(String program) {
        this.uploadPack = Optional.of(program);
        return this;
    }

    /**
     * Waits until the spare copies of checked-out trees that checkouts of this process started
     * making in the background are done ({@link Workspace#close()} does it too): for benchmarks
     * and tools that remove a cache right after a checkout.
     */
    public static void awaitBackgroundWork() {
        SpareTree.awaitRefills();
    }

    /**
     * Has JGit read git's configuration now (system, user and its own), which it does the first time a
     * process opens a repository: it asks {@code git} where the system configuration is (two processes)
     * and reads the files. For callers that can do it while they wait on something else.
     */
    public static void readGitConfig() throws IOException {
        try {
            org.eclipse.jgit.util.SystemReader.getInstance().getUserConfig();
        } catch (org.eclipse.jgit.errors.ConfigInvalidException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Where the cache of {@code gitUri} lives under {@code cacheRoot}: for tests and tools. */
    public static Path cacheDir(Path cacheRoot, URI gitUri) {
        return GitCache.of(cacheRoot, UrlCredentials.stripped(gitUri.toString())).gitDir();
    }

    public CheckedOutSource call() throws GitCheckoutException {
        if (called) {
            throw new IllegalStateException("a GitCheckout runs once; make a new one");
        }
        called = true;
        GitCache cache = GitCache.of(cacheRoot, remoteUri);
        try {
            ObjectId commit;
            java.time.Instant commitTime;
            try (GitCache.Lock lock = cache.lock(); Repository repository = cache.open(); RevWalk walk = new RevWalk(repository)) {
                commit = new CacheFetch(repository).commit();
                RevCommit revCommit = walk.parseCommit(commit);
                commitTime = java.time.Instant.ofEpochSecond(revCommit.getCommitTime());
                Files.createDirectories(dir);
                var writer = new ParallelTreeWriter(repository, threads, CheckoutProgress.everySecond(progress).reportingTo(transfers));
                new CheckedOutTree(cache, repository, writer, progress).checkOut(revCommit, dir);
            }
            return new CheckedOutSource(dir, commit.name(), commitTime);
        } catch (GitCheckoutException e) {
            removeDir(e);
            throw e;
        } catch (IOException | InterruptedException | RuntimeException e) {
            boolean cancelled = e instanceof InterruptedException || Thread.currentThread().isInterrupted();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            GitCheckoutException failure = cancelled
                    ? failure(Failure.CANCELLED, "checkout of " + describe() + " was cancelled", "", e)
                    : failure(Failure.GIT_CHECKOUT_FAILED, "cannot check out " + describe() + ": " + scrub(e.getMessage()),
                            "check free space and permissions in " + dir.getParent() + " and " + cacheRoot, e);
            removeDir(failure);
            throw failure;
        }
    }

    /**
     * The commit the ref names, its tree id and the bytes of the file at {@code path} in it, without
     * writing any file: the commit is fetched into the cache when the cache lacks it (a checkout that
     * follows then finds it there). The content key of build avoidance is made of these. A commit id
     * resolved before, without a branch, is answered from what that resolve remembered
     * ({@link ResolvedCommits}), without opening the repository.
     */
    public ResolvedCommit resolve(String path) throws GitCheckoutException {
        if (called) {
            throw new IllegalStateException("a GitCheckout runs once; make a new one");
        }
        called = true;
        GitCache cache = GitCache.of(cacheRoot, remoteUri);
        ResolvedCommits remembered = new ResolvedCommits(cache.gitDir());
        if (RefChoice.isFullId(gitRef) && gitBranch.isEmpty()) {
            String id = gitRef.toLowerCase(java.util.Locale.ROOT);
            Optional<ResolvedCommit> known = remembered.find(id, path);
            if (known.isPresent()) {
                progress.accept("commit " + id + " was resolved before: its tree and " + path + " are known from the cache");
                return known.get();
            }
        }
        try (GitCache.Lock lock = cache.lock(); Repository repository = cache.open(); RevWalk walk = new RevWalk(repository)) {
            ObjectId commit = new CacheFetch(repository).commit();
            RevCommit revCommit = walk.parseCommit(commit);
            Optional<byte[]> file;
            try (var tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path, revCommit.getTree())) {
                file = tree == null || (tree.getRawMode(0) & org.eclipse.jgit.lib.FileMode.TYPE_MASK)
                        != org.eclipse.jgit.lib.FileMode.TYPE_FILE
                        ? Optional.empty()
                        : Optional.of(repository.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes());
            }
            ResolvedCommit resolved = new ResolvedCommit(commit.name(), revCommit.getTree().name(), file);
            remembered.remember(resolved, path);
            return resolved;
        } catch (GitCheckoutException e) {
            throw e;
        } catch (IOException | InterruptedException | RuntimeException e) {
            boolean cancelled = e instanceof InterruptedException || Thread.currentThread().isInterrupted();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw cancelled
                    ? failure(Failure.CANCELLED, "resolving " + describe() + " was cancelled", "", e)
                    : failure(Failure.GIT_CHECKOUT_FAILED, "cannot resolve " + describe() + ": " + scrub(e.getMessage()),
                            "check free space and permissions in " + cacheRoot, e);
        }
    }

    /** Brings the commit the ref names into the cache (with the cache locked) and returns its id. */
    private final class CacheFetch {
        private final Repository cache;
        private final Git git;

        CacheFetch(Repository cache) {
            this.cache = cache;
            this.git = new Git(cache);
        }

        ObjectId commit() throws GitCheckoutException, IOException {
            if (RefChoice.isFullId(gitRef) && gitBranch.isEmpty()) {
                ObjectId id = ObjectId.fromString(gitRef.toLowerCase(java.util.Locale.ROOT));
                if (isCommitInCache(id)) {
                    progress.accept("commit " + id.name() + " is in the cache: nothing to fetch");
                    return id;
                }
            }
            Map<String, Ref> advertised = advertisedRefs();
            if (gitBranch.isPresent() && !advertised.containsKey(Constants.R_HEADS + gitBranch.get())) {
                throw refNotFound("branch \"" + gitBranch.get() + "\"");
            }
            return switch (RefChoice.choose(gitRef, advertised)) {
                case RefChoice.Tip tip -> {
                    if (!cache.getObjectDatabase().has(tip.id())) {
                        fetch(List.of("+" + tip.refName() + ":" + tip.refName()), 1);
                    } else {
                        progress.accept(tip.refName() + " at " + tip.id().name() + " is in the cache: nothing to fetch");
                    }
                    yield peel(tip.id());
                }
                case RefChoice.Commit byId -> fetchById(byId.id());
                case RefChoice.Abbreviated abbreviated -> fetchAbbreviated(abbreviated);
                case RefChoice.Ambiguous ambiguous -> throw failure(Failure.GIT_REF_NOT_FOUND, "ref \"" + gitRef
                        + "\" is ambiguous in " + remoteUri + ": it abbreviates " + ambiguous.candidates() + " objects",
                        "give more characters of the commit id", null);
                case RefChoice.Missing missing -> throw refNotFound(refDescription());
            };
        }

        private Map<String, Ref> advertisedRefs() throws GitCheckoutException {
            try {
                var lsRemote = Git.lsRemoteRepository().setRemote(remoteUri).setCredentialsProvider(credentials.orElse(null));
                if (!gitRef.startsWith(Constants.R_REFS)) {
                    lsRemote.setHeads(true).setTags(true);
                }
                return lsRemote.callAsMap();
            } catch (GitAPIException | RuntimeException e) {
                throw fetchFailure(e);
            }
        }

        /** A commit by its full id: fetched alone when the server serves ids, else from the history. */
        private ObjectId fetchById(ObjectId id) throws GitCheckoutException, IOException {
            if (isCommitInCache(id)) {
                progress.accept("commit " + id.name() + " is in the cache: nothing to fetch");
                return id;
            }
            if (localRepositoryLacks(id)) {
                // JGit's in-process upload-pack prints a stack trace on stderr for a missing id.
                throw refNotFound(refDescription());
            }
            try {
                fetch(List.of(id.name() + ":" + COMMIT_REFS + id.name()), 1);
            } catch (GitCheckoutException e) {
                if (e.failure() == Failure.CANCELLED) {
                    throw e;
                }
                // The server listed its refs a moment ago, so it is there and lets us in: it refuses
                // to serve an unadvertised id (protocol v0 without uploadpack.allowReachableSHA1InWant).
                progress.accept("the server does not serve commit " + id.name() + " by id; fetching the history of "
                        + gitBranch.map(b -> "branch " + b).orElse("every branch"));
                fetchHistory();
            }
            if (!isCommitInCache(id)) {
                throw refNotFound(refDescription());
            }
            keepCommitRef(id);
            return id;
        }

        /** True for a repository on this machine (file:// or a path) that does not hold {@code id}. */
        private boolean localRepositoryLacks(ObjectId id) {
            URI uri;
            try {
                uri = URI.create(remoteUri);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!"file".equals(uri.getScheme())) {
                return false;
            }
            java.io.File gitDir = org.eclipse.jgit.lib.RepositoryCache.FileKey.resolve(new java.io.File(uri.getPath()),
                    org.eclipse.jgit.util.FS.DETECTED);
            if (gitDir == null) {
                return false;
            }
            try (Repository local = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build()) {
                return !local.getObjectDatabase().has(id);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private ObjectId fetchAbbreviated(RefChoice.Abbreviated abbreviated) throws GitCheckoutException, IOException {
            Optional<ObjectId> known = resolveInCache(abbreviated);
            if (known.isPresent()) {
                return known.get();
            }
            fetchHistory();
            return resolveInCache(abbreviated).orElseThrow(() -> refNotFound(refDescription()));
        }

        private Optional<ObjectId> resolveInCache(RefChoice.Abbreviated abbreviated) throws GitCheckoutException, IOException {
            try (var reader = cache.newObjectReader()) {
                var candidates = reader.resolve(abbreviated.prefix()).stream().filter(this::isCommitInCache).toList();
                if (candidates.size() > 1) {
                    throw failure(Failure.GIT_REF_NOT_FOUND, "ref \"" + gitRef + "\" is ambiguous in " + remoteUri
                            + ": it abbreviates " + candidates.size() + " objects", "give more characters of the commit id", null);
                }
                return candidates.stream().findFirst().map(ObjectId::toObjectId);
            }
        }

        /** The whole history of the branch (or of every branch and tag): the way to find any commit. */
        private void fetchHistory() throws GitCheckoutException, IOException {
            List<String> specs = gitBranch.map(b -> List.of("+" + Constants.R_HEADS + b + ":" + Constants.R_HEADS + b))
                    .orElse(List.of("+" + Constants.R_HEADS + "*:" + Constants.R_HEADS + "*",
                            "+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"));
            fetch(specs, 0);
        }

        /** One fetch into the cache: {@code depth} 1 for a single commit, 0 for the whole history. */
        private void fetch(List<String> refSpecs, int depth) throws GitCheckoutException, IOException {
            PackCount before = PackCount.of(cache);
            long started = System.nanoTime();
            try {
                var fetch = git.fetch().setRemote(remoteUri)
                        .setRefSpecs(refSpecs.toArray(String[]::new))
                        .setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS)
                        .setCredentialsProvider(credentials.orElse(null))
                        .setProgressMonitor(new LineProgressMonitor(progress));
                uploadPack.ifPresent(program -> fetch.setTransportConfigCallback(t -> t.setOptionUploadPack(program)));
                if (depth > 0) {
                    fetch.setDepth(depth);
                } else if (!cache.getObjectDatabase().getShallowCommits().isEmpty()) {
                    fetch.setUnshallow(true);
                }
                fetch.call();
            } catch (GitAPIException | RuntimeException e) {
                throw fetchFailure(e);
            }
            PackCount fetched = PackCount.of(cache).minus(before);
            double seconds = (System.nanoTime() - started) / 1e9;
            progress.accept(String.format(java.util.Locale.ROOT, "Fetched %d objects, %.1f MB in %.1f s (%.1f MB/s)",
                    fetched.objects(), fetched.bytes() / 1048576.0, seconds, fetched.bytes() / 1048576.0 / Math.max(seconds, 1e-3)));
            transfers.accept(new Transfer("fetch", fetched.objects(), fetched.objects(), fetched.bytes(),
                    fetched.bytes() / Math.max(seconds, 1e-3)));
        }

        private boolean isCommitInCache(ObjectId id) {
            try (var reader = cache.newObjectReader()) {
                return reader.has(id) && reader.open(id).getType() == Constants.OBJ_COMMIT;
            } catch (IOException e) {
                return false;
            }
        }

        /** The commit a fetched tip names (an annotated tag is followed to its commit). */
        private ObjectId peel(ObjectId tip) throws GitCheckoutException, IOException {
            try (RevWalk walk = new RevWalk(cache)) {
                return walk.parseCommit(tip).copy();
            } catch (MissingObjectException | IncorrectObjectTypeException e) {
                throw refNotFound(refDescription());
            }
        }

        /**
         * A ref for a commit fetched by id, so the next fetch names it as a "have" and the server
         * sends only what is new; the oldest such refs go beyond {@link #KEPT_COMMIT_REFS}.
         */
        private void keepCommitRef(ObjectId id) throws IOException {
            var update = cache.updateRef(COMMIT_REFS + id.name());
            update.setNewObjectId(id);
            update.forceUpdate();
            List<Ref> kept = cache.getRefDatabase().getRefsByPrefix(COMMIT_REFS);
            if (kept.size() <= KEPT_COMMIT_REFS) {
                return;
            }
            try (RevWalk walk = new RevWalk(cache)) {
                java.util.ArrayList<RevCommit> commits = new java.util.ArrayList<>();
                for (Ref ref : kept) {
                    commits.add(walk.parseCommit(ref.getObjectId()));
                }
                commits.sort(java.util.Comparator.comparingInt(RevCommit::getCommitTime));
                for (RevCommit old : commits.subList(0, commits.size() - KEPT_COMMIT_REFS)) {
                    var delete = cache.updateRef(COMMIT_REFS + old.name());
                    delete.setForceUpdate(true);
                    delete.delete();
                }
            }
        }
    }

    private GitCheckoutException fetchFailure(Exception e) {
        if (Thread.currentThread().isInterrupted()) {
            return failure(Failure.CANCELLED, "fetching " + describe() + " was cancelled", "", e);
        }
        String uri = remoteUri;
        String cause = scrub(e.getMessage());
        return switch (GitFailureClassifier.classify(e)) {
            case GIT_AUTH_FAILED -> failure(Failure.GIT_AUTH_FAILED, "git server refused access to " + uri + ": " + cause,
                    "give the build credentials for this repository, or use a URI it may read anonymously", e);
            case GIT_UNREACHABLE -> failure(Failure.GIT_UNREACHABLE, "cannot reach git repository " + uri + ": " + cause,
                    "check the git URI (scheme, host, path) and that the host is reachable from here", e);
            default -> failure(Failure.GIT_CHECKOUT_FAILED, "cannot fetch " + uri + ": " + cause,
                    "check free space and permissions in " + cacheRoot, e);
        };
    }

    private String refDescription() {
        return "ref \"" + gitRef + "\"" + gitBranch.map(b -> " on branch \"" + b + "\"").orElse("");
    }

    private GitCheckoutException refNotFound(String what) {
        return failure(Failure.GIT_REF_NOT_FOUND, remoteUri + " has no " + what,
                "check the spelling, and that the commit, tag or branch was pushed to " + remoteUri,
                null);
    }

    private String describe() {
        return remoteUri + " at " + gitRef;
    }

    /** A message (typically JGit's, which repeats the URI) with every credential of the URI masked. */
    private String scrub(String message) {
        return message == null ? "" : masker.mask(message);
    }

    private static GitCheckoutException failure(Failure failure, String message, String hint, Throwable cause) {
        return new GitCheckoutException(failure, message, hint, cause);
    }

    private void removeDir(GitCheckoutException failure) {
        try {
            Workspace.deleteRecursively(dir);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Waits until no spare copy of a tree is being written into a cache by this process: for the tests of
     * steps that check out into a temporary cache, which must not be removed under it.
     */
    public static void awaitSpareTrees() {
        SpareTree.awaitRefills();
    }
}
