package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.io.UrlCredentials;
import io.strata.core.event.BuildEvent;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.worker.git.CheckedOutSource;
import io.strata.worker.git.GitCheckout;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * check_out_source: brings the requested commit into the repository's cache under the Strata home
 * and writes its files into the workspace ({@link GitCheckout}), then reads the Dockerfile the
 * request names. The commit id goes into the record; fetch and write progress into the build log.
 */
final class CheckOutSourceStep implements Step<WorkerState> {
    private final Path gitCacheRoot;

    /** @param gitCacheRoot where the per-repository caches live ({@code StrataSettings.gitCacheDir()}) */
    CheckOutSourceStep(Path gitCacheRoot) {
        this.gitCacheRoot = gitCacheRoot;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        var request = state.request();
        // A commit resolved before the worker started (build avoidance) is checked out by its id: the same
        // source, with no second look at the ref on the server (the cache fetches it if it lacks it).
        String ref = state.resolved().map(resolved -> {
            context.log("checking out commit " + resolved.commitId() + ", which " + request.gitRef() + " named when the build started");
            return resolved.commitId();
        }).orElse(request.gitRef());
        CheckedOutSource source = new GitCheckout(cloneUri(request.gitUri()), ref, state.workspace().resolve("source"),
                gitCacheRoot)
                .branch(request.gitBranch())
                .progress(context::log)
                .transfers(transfer -> context.publish(new BuildEvent.Progress(state.buildId(), context.clock().instant(),
                        transfer.activity(), transfer.done(), transfer.total(), transfer.bytes(), transfer.bytesPerSecond())))
                .call();
        context.log("checked out " + UrlCredentials.stripped(request.gitUri()) + " at " + source.commitId());
        context.publish(new BuildEvent.SourceCheckedOut(state.buildId(), context.clock().instant(), source.commitId()));
        return state.withSource(source, readDockerfile(source.dir(), request.dockerfilePath()));
    }

    /**
     * The URI JGit clones from. Besides URIs it takes git's scp-like form ({@code git@host:team/repo})
     * and local paths, as git itself does.
     */
    static URI cloneUri(String gitUri) throws StrataException {
        Matcher scp = SCP_LIKE.matcher(gitUri);
        try {
            if (gitUri.contains("://")) {
                return new URI(gitUri);
            }
            if (scp.matches()) {
                return new URI("ssh", scp.group(1), scp.group(2), -1, "/" + scp.group(3), null, null);
            }
            return Path.of(gitUri).toAbsolutePath().toUri();
        } catch (URISyntaxException | java.nio.file.InvalidPathException e) {
            throw new StrataException("GIT_URI_INVALID", "'" + UrlCredentials.redact(gitUri) + "' is not a git URI",
                    "use https://host/repo.git, ssh://git@host/repo.git, git@host:repo.git or file:///path/to/repo", e);
        }
    }

    private static final Pattern SCP_LIKE = Pattern.compile("(?:([^@/:]+)@)?([^/:]+):(?!//)(.+)");

    static Dockerfile readDockerfile(Path sourceDir, String dockerfilePath) throws StrataException {
        Path file = sourceDir.resolve(dockerfilePath).normalize();
        if (!file.startsWith(sourceDir)) {
            throw new StrataException("DOCKERFILE_NOT_FOUND", "Dockerfile path " + dockerfilePath + " points outside the repository",
                    "give the request's dockerfile as a path relative to the repository root");
        }
        Dockerfile dockerfile;
        try {
            dockerfile = Dockerfile.read(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StrataException("DOCKERFILE_NOT_FOUND", "the repository has no " + dockerfilePath + " at this ref",
                    "check the ref, or name the file in the request's dockerfile field");
        } catch (IOException e) {
            throw new StrataException("DOCKERFILE_NOT_FOUND", "cannot read " + dockerfilePath + ": " + e.getMessage(),
                    "check the file in the repository", e);
        } catch (DockerfileException e) {
            throw invalidDockerfile(dockerfilePath, e);
        }
        try {
            // What BuildKit's build refuses (no FROM, unknown instruction, ...) fails here, before any work.
            dockerfile.requireBuildable();
        } catch (DockerfileException e) {
            throw invalidDockerfile(dockerfilePath, e);
        }
        return dockerfile;
    }

    /** {@code path:line: message} with the fix; unreadable bytes keep their own reason code. */
    static StrataException invalidDockerfile(String dockerfilePath, DockerfileException e) {
        boolean unreadable = e.code().equals(DockerfileException.NOT_UTF8)
                || e.code().equals(DockerfileException.NOT_REGULAR_FILE);
        String where = e.line() > 0 ? dockerfilePath + ":" + e.line() : dockerfilePath;
        String hint = unreadable ? e.hint()
                : e.hint() + "; fix the Dockerfile in the repository (`strata dockerfile inspect` shows how Strata reads it)";
        return new StrataException(unreadable ? e.code() : "DOCKERFILE_INVALID", where + ": " + e.getMessage(), hint, e);
    }
}
