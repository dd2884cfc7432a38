package io.strata.local.git;

import io.strata.core.io.UrlCredentials;
import io.strata.local.git.GitCheckoutException.Failure;
import io.strata.local.process.SecretMasker;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Clones a repository into a fresh directory and checks out one ref, the way a build needs its
 * source: {@code new GitCheckout(uri, ref, dir).branch("main").progress(log::add).call()}.
 * Single use, like JGit's own commands.
 *
 * <p>The ref may be a full or abbreviated commit id, a tag, a branch name, or "origin/branch" (as
 * osbs-client passes it). When a branch is given only that branch is fetched. On any failure the
 * directory is removed, so a failed checkout leaves nothing behind.
 *
 * <p>Credentials written into the URI ({@code https://user:token@host/...}, or a token as the user
 * name) are used, never stored: JGit gets the URI without them and asks a CredentialsProvider
 * when the server wants HTTP Basic auth, so the remote in the checkout's {@code .git/config} (and
 * FETCH_HEAD, reflogs, messages) holds no secret. The checkout is a build context: a
 * {@code COPY . /src} would otherwise bake the token into a layer.
 */
public final class GitCheckout {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");

    /** The URI as JGit sees it and the checkout keeps it: without credentials. */
    private final String remoteUri;
    private final Optional<CredentialsProvider> credentials;
    private final SecretMasker masker;
    private final String gitRef;
    private final Path dir;
    private Optional<String> gitBranch = Optional.empty();
    private Consumer<String> progress = line -> { };
    private boolean called;

    /**
     * @param dir where to check out; must not exist or be empty
     */
    public GitCheckout(URI gitUri, String gitRef, Path dir) {
        Objects.requireNonNull(gitUri, "gitUri");
        this.remoteUri = UrlCredentials.stripped(gitUri.toString());
        this.credentials = UrlCredentials.userInfo(gitUri.toString())
                .map(user -> new UsernamePasswordCredentialsProvider(user.user(), user.password()));
        this.masker = SecretMasker.forUrls(List.of(gitUri.toString()));
        this.gitRef = Objects.requireNonNull(gitRef, "gitRef");
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** Clone only this branch (the ref is then usually a commit on it). */
    public GitCheckout branch(String branch) {
        this.gitBranch = Optional.ofNullable(branch).filter(b -> !b.isBlank());
        return this;
    }

    /** Where fetch progress lines go (a build's log). */
    public GitCheckout progress(Consumer<String> lines) {
        this.progress = Objects.requireNonNull(lines, "lines");
        return this;
    }

    public CheckedOutSource call() throws GitCheckoutException {
        if (called) {
            throw new IllegalStateException("a GitCheckout runs once; make a new one");
        }
        called = true;
        try (Git git = fetchRepository()) {
            ObjectId commit = resolve(git.getRepository());
            checkOutDetached(git.getRepository(), commit);
            return new CheckedOutSource(dir, commit.name());
        } catch (GitCheckoutException e) {
            removeDir(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            GitCheckoutException failure = Thread.currentThread().isInterrupted()
                    ? failure(Failure.CANCELLED, "checkout of " + describe() + " was cancelled", "", e)
                    : failure(Failure.GIT_CHECKOUT_FAILED, "cannot check out " + describe() + ": " + scrub(e.getMessage()),
                            "check free space and permissions in " + dir.getParent(), e);
            removeDir(failure);
            throw failure;
        }
    }

    /**
     * init + fetch rather than JGit's clone: clone insists on checking out (or at least setting
     * up) the remote's default branch, which a single-branch fetch may not even contain.
     */
    private Git fetchRepository() throws GitCheckoutException {
        Git git = null;
        try {
            git = Git.init().setDirectory(dir.toFile()).call();
            noBackgroundGc(git.getRepository());
            git.remoteAdd().setName(Constants.DEFAULT_REMOTE_NAME).setUri(new URIish(remoteUri)).call();
            RefSpec branches = new RefSpec(gitBranch
                    .map(branch -> "+" + Constants.R_HEADS + branch + ":" + remoteBranch(branch))
                    .orElse("+" + Constants.R_HEADS + "*:" + remoteBranch("*")));
            git.fetch().setRemote(Constants.DEFAULT_REMOTE_NAME).setRefSpecs(branches).setTagOpt(TagOpt.FETCH_TAGS)
                    .setCredentialsProvider(credentials.orElse(null))
                    .setProgressMonitor(new LineProgressMonitor(line -> progress.accept(masker.mask(line)))).call();
            return git;
        } catch (GitAPIException | URISyntaxException | IOException e) {
            if (git != null) {
                git.close();
            }
            throw fetchFailure(e);
        }
    }

    private GitCheckoutException fetchFailure(Exception e) {
        if (Thread.currentThread().isInterrupted()) {
            return failure(Failure.CANCELLED, "fetching " + describe() + " was cancelled", "", e);
        }
        if (gitBranch.isPresent() && remoteLacksBranch(gitBranch.get())) {
            return refNotFound("branch \"" + gitBranch.get() + "\"");
        }
        String uri = remoteUri;
        String cause = scrub(e.getMessage());
        return switch (GitFailureClassifier.classify(e)) {
            case GIT_AUTH_FAILED -> failure(Failure.GIT_AUTH_FAILED, "git server refused access to " + uri + ": " + cause,
                    "give the build credentials for this repository, or use a URI it may read anonymously", e);
            case GIT_UNREACHABLE -> failure(Failure.GIT_UNREACHABLE, "cannot reach git repository " + uri + ": " + cause,
                    "check the git URI (scheme, host, path) and that the host is reachable from here", e);
            default -> failure(Failure.GIT_CHECKOUT_FAILED, "cannot fetch " + uri + ": " + cause,
                    "check free space and permissions in " + dir.getParent(), e);
        };
    }

    /**
     * JGit runs an automatic gc after every fetch, by default in a background thread that takes and
     * releases {@code .git/gc.log.lock} after the fetch has returned. Removing a failed checkout
     * then raced that thread (the lock file vanished or appeared mid-delete) and the workspace
     * stayed behind. A build's checkout is used once and thrown away: it never needs a gc.
     */
    private static void noBackgroundGc(Repository repository) throws IOException {
        var config = repository.getConfig();
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOPACKLIMIT, 0);
        config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
        config.save();
    }

    /** Asked only after a failed fetch, to tell "no such branch" from "no such repository". */
    private boolean remoteLacksBranch(String branch) {
        try {
            return Git.lsRemoteRepository().setRemote(remoteUri).setCredentialsProvider(credentials.orElse(null))
                    .setHeads(true).call().stream()
                    .noneMatch(ref -> ref.getName().equals(Constants.R_HEADS + branch));
        } catch (GitAPIException unreachableToo) {
            return false;
        }
    }

    /**
     * Fills the empty work tree and index from the commit's tree and points HEAD at the commit
     * (detached, as a build wants a fixed commit rather than a moving branch). The fetch made no
     * checkout, so there is nothing in the work tree to conflict with.
     */
    private static void checkOutDetached(Repository repository, ObjectId commit) throws IOException {
        RevCommit revCommit;
        try (RevWalk walk = new RevWalk(repository)) {
            revCommit = walk.parseCommit(commit);
        }
        DirCache index = repository.lockDirCache();
        try {
            new DirCacheCheckout(repository, index, revCommit.getTree()).checkout();
        } finally {
            index.unlock();
        }
        RefUpdate head = repository.updateRef(Constants.HEAD, true);
        head.setNewObjectId(commit);
        RefUpdate.Result result = head.forceUpdate();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("cannot point HEAD at " + commit.name() + ": " + result);
        }
    }

    /**
     * Finds the commit the ref names, trying in git's order of preference: an explicit "refs/..."
     * name, "origin/branch", a branch, a tag, then a (possibly abbreviated) commit id.
     */
    private ObjectId resolve(Repository repository) throws IOException, GitCheckoutException {
        for (String candidate : candidates()) {
            try {
                ObjectId commit = repository.resolve(candidate + "^{commit}");
                if (commit != null) {
                    return commit;
                }
            } catch (AmbiguousObjectException e) {
                throw failure(Failure.GIT_REF_NOT_FOUND, "ref \"" + gitRef + "\" is ambiguous in "
                        + remoteUri + ": it abbreviates " + e.getCandidates().size() + " objects",
                        "give more characters of the commit id", e);
            } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException notThisOne) {
                // a full-length id that is not in the repository, or not a commit: try the next reading
            }
        }
        throw refNotFound("ref \"" + gitRef + "\"" + gitBranch.map(b -> " on branch \"" + b + "\"").orElse(""));
    }

    private List<String> candidates() {
        List<String> candidates = new ArrayList<>();
        if (gitRef.startsWith(Constants.R_REFS)) {
            candidates.add(gitRef);
        }
        if (gitRef.startsWith("origin/")) {
            candidates.add(Constants.R_REMOTES + gitRef);
        }
        candidates.add(remoteBranch(gitRef));
        candidates.add(Constants.R_TAGS + gitRef);
        if (HEX.matcher(gitRef).matches()) {
            candidates.add(gitRef.toLowerCase(java.util.Locale.ROOT));
        }
        return candidates;
    }

    private static String remoteBranch(String branch) {
        return Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + branch;
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
}
