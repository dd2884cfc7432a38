package io.strata.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.core.plan.CustomizeJson;
import io.strata.core.request.BuildRequest;
import io.strata.core.service.BuildSubmission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code POST /api/v1/builds}: a build request with the field names of USER_PARAMS
 * ({@code component}, {@code git_uri}, {@code git_ref}, {@code git_branch}, {@code platforms},
 * {@code scratch}, {@code koji_target}, {@code yum_repourls}, ...; see
 * {@link io.strata.core.render.UserParams}). The wire shape lives apart from the domain's
 * {@link BuildRequest}; {@link #of} and {@link #toSubmission} translate. {@code customize} is an
 * optional customize document (osbs-client's {@code *_customize.json}) as a JSON object. Unknown
 * fields are refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRequestBody(
        @JsonProperty("component") String component,
        @JsonProperty("git_uri") String gitUri,
        @JsonProperty("git_ref") String gitRef,
        @JsonProperty("git_branch") String gitBranch,
        @JsonProperty("dockerfile_path") String dockerfilePath,
        @JsonProperty("koji_target") String kojiTarget,
        @JsonProperty("platforms") List<String> platforms,
        @JsonProperty("scratch") Boolean scratch,
        @JsonProperty("isolated") Boolean isolated,
        @JsonProperty("release") String release,
        @JsonProperty("yum_repourls") List<String> yumRepoUrls,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("build_args") Map<String, String> buildArgs,
        @JsonProperty("user") String user,
        @JsonProperty("koji_task_id") Long kojiTaskId,
        @JsonProperty("priority") Integer priority,
        @JsonProperty("customize") JsonNode customize,
        @JsonProperty("no_cache") Boolean noCache) {

    /** Where a customize document sent in a request came from, for the messages about it. */
    public static final String CUSTOMIZE_ORIGIN = "the request's customize field";

    /** The body the CLI sends for {@code submission}; a customize document goes as a JSON object. */
    public static BuildRequestBody of(BuildSubmission submission) throws JsonProcessingException {
        BuildRequest request = submission.request();
        JsonNode customize = submission.customize().isEmpty() ? null
                : ApiJson.MAPPER.readTree(submission.customize().get().text());
        return new BuildRequestBody(request.component(), request.gitUri(), request.gitRef(), request.gitBranch(),
                request.dockerfilePath(), request.target(), request.platforms(), request.scratch(), request.isolated(),
                request.release(), request.yumRepoUrls(), request.labels(), request.buildArgs(), request.user(),
                request.kojiTaskId(), request.priority(), customize, request.noCache() ? Boolean.TRUE : null);
    }

    /** The request and its customize document, as the service takes them. */
    public BuildSubmission toSubmission() {
        return new BuildSubmission(toRequest(), Optional.ofNullable(customize).filter(c -> !c.isNull())
                .map(c -> new CustomizeJson(CUSTOMIZE_ORIGIN, c.toString())));
    }

    public BuildRequest toRequest() {
        return BuildRequest.builder()
                .component(component).gitUri(gitUri).gitRef(gitRef).gitBranch(gitBranch)
                .dockerfilePath(dockerfilePath).target(kojiTarget).platforms(platforms)
                .scratch(Boolean.TRUE.equals(scratch)).isolated(Boolean.TRUE.equals(isolated)).release(release)
                .yumRepoUrls(yumRepoUrls).labels(labels).buildArgs(buildArgs).user(user).kojiTaskId(kojiTaskId)
                .priority(priority == null ? 0 : priority)
                .noCache(Boolean.TRUE.equals(noCache))
                .build();
    }

    /** Like the record's own, without the credentials a URL may carry: a body may end up in a message. */
    @Override
    public String toString() {
        return "BuildRequestBody" + toRequest().toString().substring("BuildRequest".length());
    }
}
