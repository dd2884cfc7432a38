package io.strata.core.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.request.BuildRequest;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The USER_PARAMS document: everything a worker in a pod needs to know about its build, passed
 * as JSON in an environment variable (atomic-reactor's contract). Keys are osbs-client's, written in
 * alphabetical order in Python's JSON style; {@code dockerfile_path}, {@code labels} and
 * {@code build_args} are Strata's additions and appear only when they say something.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserParams(
        @JsonProperty("arrangement_version") int arrangementVersion,
        @JsonProperty("base_image") String baseImage,
        @JsonProperty("build_args") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> buildArgs,
        @JsonProperty("build_image") String buildImage,
        @JsonProperty("build_json_dir") String buildJsonDir,
        @JsonProperty("build_type") String buildType,
        @JsonProperty("component") String component,
        @JsonProperty("customize_conf") String customizeConf,
        @JsonProperty("dockerfile_path")
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultDockerfile.class) String dockerfilePath,
        @JsonProperty("git_branch") String gitBranch,
        @JsonProperty("git_ref") String gitRef,
        @JsonProperty("git_uri") String gitUri,
        @JsonProperty("image_tag") String imageTag,
        @JsonProperty("imagestream_name") String imagestreamName,
        @JsonProperty("isolated") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean isolated,
        @JsonProperty("koji_target") String kojiTarget,
        @JsonProperty("koji_task_id") Long kojiTaskId,
        @JsonProperty("labels") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
        @JsonProperty("name") String name,
        @JsonProperty("platforms") List<String> platforms,
        @JsonProperty("reactor_config_map") String reactorConfigMap,
        @JsonProperty("release") String release,
        @JsonProperty("scratch") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean scratch,
        @JsonProperty("trigger_imagestreamtag") String triggerImagestreamtag,
        @JsonProperty("user") String user,
        @JsonProperty("yum_repourls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> yumRepoUrls) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPrettyPrinter(new PythonJsonPrinter())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public UserParams {
        buildArgs = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(buildArgs, Map.of())));
        labels = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(labels, Map.of())));
        dockerfilePath = dockerfilePath == null || dockerfilePath.isBlank() ? BuildRequest.DEFAULT_DOCKERFILE : dockerfilePath;
        platforms = platforms == null ? null : List.copyOf(platforms);
        yumRepoUrls = List.copyOf(Objects.requireNonNullElse(yumRepoUrls, List.of()));
    }

    /** One line of JSON, as it goes into the USER_PARAMS environment variable. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("UserParams always serialises", e);
        }
    }

    /** Reads USER_PARAMS back (in a worker); unknown keys and wrong types are errors. */
    public static UserParams fromJson(String json) throws ConfigException {
        try {
            return MAPPER.readValue(json, UserParams.class);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new ConfigException(new ConfigProblem("USER_PARAMS", location == null ? 0 : location.getLineNr(),
                    location == null ? 0 : location.getColumnNr(), e.getOriginalMessage(),
                    "USER_PARAMS is written by 'strata render build-config'; render it again with the same Strata version"));
        }
    }

    /** Jackson's value filter leaving out the default Dockerfile path: osbs-client never wrote one. */
    static final class DefaultDockerfile {
        @Override
        public boolean equals(Object value) {
            return BuildRequest.DEFAULT_DOCKERFILE.equals(value);
        }

        @Override
        public int hashCode() {
            return BuildRequest.DEFAULT_DOCKERFILE.hashCode();
        }
    }
}
