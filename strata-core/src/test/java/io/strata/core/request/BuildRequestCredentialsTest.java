package io.strata.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the store keeps of a request: everything but the credentials written into its URLs. */
class BuildRequestCredentialsTest {
    @Test
    void tokensInTheGitUriAndRepoUrlsAreMaskedAndNothingElseChanges() {
        BuildRequest request = BuildRequest.builder().component("c")
                .gitUri("https://builder:ghp_s3cret@git.example/team/c.git").gitRef("main").gitBranch("main")
                .yumRepoUrls(List.of("https://repos.example/a.repo", "https://u:p4ss@repos.example/b.repo"))
                .release("1.2").build();

        BuildRequest stored = request.withoutCredentials();

        assertThat(stored.toString()).doesNotContain("ghp_s3cret").doesNotContain("p4ss");
        assertThat(stored.gitUri()).isEqualTo("https://builder:****@git.example/team/c.git");
        assertThat(stored.yumRepoUrls()).containsExactly("https://repos.example/a.repo", "https://u:****@repos.example/b.repo");
        assertThat(stored.toBuilder().gitUri(request.gitUri()).yumRepoUrls(request.yumRepoUrls()).build()).isEqualTo(request);
    }

    @Test
    void aTokenUsedAsUserNameAndCredentialQueryParametersAreMaskedToo() {
        BuildRequest request = BuildRequest.builder().component("c")
                .gitUri("https://ghp_t0ken@github.com/team/c.git").gitRef("main")
                .yumRepoUrls(List.of("https://repouser:r3po@repos.example/b.repo?arch=x86_64&token=q7ery"))
                .build();

        BuildRequest stored = request.withoutCredentials();

        assertThat(stored.toString()).doesNotContain("ghp_t0ken").doesNotContain("r3po").doesNotContain("q7ery");
        assertThat(request.toString()).as("the original, as a message might show it")
                .doesNotContain("ghp_t0ken").doesNotContain("r3po").doesNotContain("q7ery").contains("component=c");
        assertThat(stored.gitUri()).isEqualTo("https://****@github.com/team/c.git");
        assertThat(stored.yumRepoUrls()).containsExactly("https://repouser:****@repos.example/b.repo?arch=x86_64&token=****");
    }
}
