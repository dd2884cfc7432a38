package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.request.BuildRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request in a provenance statement is public with the image: it must hold no credential. */
class ProvenanceParametersTest {
    @Test
    void externalParametersHoldNoCredentialOfTheRequest() {
        BuildRequest request = BuildRequest.builder().component("app").gitRef("main")
                .gitUri("https://builder:s3cret-pass@git.example/team/app.git")
                .yumRepoUrls(List.of("https://repo-user:repo-token@repo.example/x.repo?token=query-secret"))
                .build();

        String parameters = AttachProvenanceStep.externalParameters(request).toString();

        assertThat(parameters).contains("git.example/team/app.git", "repo.example/x.repo", "component=app")
                .doesNotContain("s3cret-pass", "repo-token", "query-secret");
    }
}
