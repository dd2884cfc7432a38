package io.strata.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.request.BuildRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

public class BuildRequestOptionsTest {

    /** A command holding only the mixin, so flags are parsed exactly as in strata render/build. */
    @CommandLine.Command(name = "probe")
    static final class Probe {
        @CommandLine.Mixin
        BuildRequestOptions options;
    }

    private static BuildRequest parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        try {
            return probe.options.toBuildRequest();
        } catch (io.strata.core.StrataException e) {
            throw new AssertionError(e);
        }
    }

    /** The request the seed's flags make; also used by RenderCommandTest. */
    public BuildRequest seedRequest() {
        return parse("--component", "docker-hello-world", "--git-uri", "git://github.com/sosiouxme/docker-hello-world",
                "--git-ref", "origin/osbs-box-demo", "--git-branch", "osbs-box-demo", "--target", "candidate",
                "--platforms", "x86_64", "--user", "kojiadmin", "--koji-task-id", "6");
    }

    @Test
    void everyFlagLandsInTheRequest() {
        BuildRequest request = parse("--component", "c", "--git-uri", "file:///r", "--git-ref", "abc", "--git-branch", "main",
                "--target", "t", "--platforms", "x86_64,aarch64", "--platforms", "s390x", "--user", "u", "--koji-task-id", "42",
                "--scratch", "--release", "1.2", "--yum-repourls", "http://a/x.repo,http://b/y.repo", "--yum-repourls", "file:///z.repo",
                "--dockerfile", "images/Dockerfile", "--label", "name=me/c", "--label", "url=https://x/?a=b",
                "--build-arg", "VERSION=1", "--priority", "-5", "--network-policy", "none");

        assertThat(request).isEqualTo(new BuildRequest("c", "file:///r", "abc", "main", "images/Dockerfile", "t",
                List.of("x86_64", "aarch64", "s390x"), true, false, "1.2",
                List.of("http://a/x.repo", "http://b/y.repo", "file:///z.repo"),
                Map.of("name", "me/c", "url", "https://x/?a=b"), Map.of("VERSION", "1"), "u", 42L, -5, "none"));
    }

    @Test
    void aLocalPathIsTakenAsAFileUriAsGitDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path repo) {
        java.nio.file.Path relative = java.nio.file.Path.of("src");

        assertThat(parse("--git-uri", repo.toString()).gitUri()).isEqualTo(repo.toUri().toString());
        assertThat(parse("--git-uri", "./src").gitUri()).isEqualTo(relative.toAbsolutePath().toUri().toString());
        assertThat(parse("--git-uri", "git@github.com:team/repo.git").gitUri()).isEqualTo("git@github.com:team/repo.git");
        assertThat(parse("--git-uri", "https://host/repo.git").gitUri()).isEqualTo("https://host/repo.git");
        assertThat(parse("--git-uri", "no/such/dir").gitUri()).isEqualTo("no/such/dir");
    }

    @Test
    void unsetFlagsGiveTheRequestDefaults() {
        assertThat(parse()).isEqualTo(BuildRequest.builder().build());
        assertThat(parse().dockerfilePath()).isEqualTo("Dockerfile");
    }

    @Test
    void theSeedFlags() {
        assertThat(seedRequest().platforms()).containsExactly("x86_64");
        assertThat(seedRequest().kojiTaskId()).isEqualTo(6L);
    }
}
