package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real git repository made with JGit, for tests that clone over {@code file://}. Commits are made
 * with a fixed author so that test output does not depend on the machine's git configuration.
 */
public final class GitRepoFixture implements AutoCloseable {
    private static final PersonIdent AUTHOR = new PersonIdent("Strata Test", "test@strata.invalid");

    private final Path directory;
    private final Git git;

    private GitRepoFixture(Path directory, Git git) {
        this.directory = directory;
        this.git = git;
    }

    /** Initialises a repository (default branch "main") in {@code directory}, which may not exist yet. */
    public static GitRepoFixture create(Path directory) {
        try {
            Files.createDirectories(directory);
            Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call();
            return new GitRepoFixture(directory, git);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new FixtureException("cannot initialise a git repository in " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The repository as a {@code file://} URI, as a build request would name it. */
    public URI uri() {
        return directory.toUri();
    }

    /** Writes (or overwrites) a file relative to the work tree and stages it. */
    public GitRepoFixture write(String relativePath, String content) {
        Path file = directory.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            git.add().addFilepattern(relativePath).call();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new FixtureException("cannot stage " + relativePath, e);
        }
    }

    /** Commits what is staged on the current branch; returns the full commit id. */
    public String commit(String message) {
        return call(() -> git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR)
                .setSign(false).call().getId().name(), "commit");
    }

    /** Creates a branch at the current commit and switches to it, so later commits land there. */
    public GitRepoFixture branch(String name) {
        call(() -> git.checkout().setCreateBranch(true).setName(name).call(), "create branch " + name);
        return this;
    }

    /** Switches to an existing branch. */
    public GitRepoFixture checkout(String name) {
        call(() -> git.checkout().setName(name).call(), "check out " + name);
        return this;
    }

    /** A lightweight tag at the current commit. */
    public GitRepoFixture tag(String name) {
        call(() -> git.tag().setName(name).setAnnotated(false).call(), "tag " + name);
        return this;
    }

    /** An annotated tag (its own object pointing at the commit), as release tags usually are. */
    public GitRepoFixture annotatedTag(String name, String message) {
        call(() -> git.tag().setName(name).setAnnotated(true).setMessage(message).setTagger(AUTHOR)
                .setSigned(false).call(), "tag " + name);
        return this;
    }

    /** The full id of the current commit. */
    public String head() {
        return call(() -> git.getRepository().resolve("HEAD").name(), "resolve HEAD");
    }

    /** Releases JGit's handles; the directory belongs to the caller (usually a JUnit {@code @TempDir}). */
    @Override
    public void close() {
        git.close();
    }

    private interface GitCall<T> {
        T call() throws GitAPIException, IOException;
    }

    private <T> T call(GitCall<T> action, String what) {
        try {
            return action.call();
        } catch (GitAPIException | IOException e) {
            throw new FixtureException("git " + what + " failed in " + directory, e);
        }
    }
}
