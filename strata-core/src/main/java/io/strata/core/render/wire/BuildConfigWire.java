package io.strata.core.render.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of an OpenShift {@code BuildConfig} with the Custom strategy, as osbs-client
 * created it. Wire format only: built from domain values by {@code BuildConfigRenderer}, written by
 * Jackson, never used as a domain type. Absent (null) parts are left out, except
 * {@code spec.nodeSelector}, which OpenShift shows as null when there is none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildConfigWire(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectMeta(String name, String namespace, Map<String, String> labels) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(
            Long completionDeadlineSeconds,
            @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> nodeSelector,
            Output output,
            Map<String, Object> postCommit,
            Resources resources,
            String runPolicy,
            Source source,
            Strategy strategy,
            List<Object> triggers) {}

    public record Output(ObjectReference to) {}

    /** {@code {kind: DockerImage, name: ...}}. */
    public record ObjectReference(String kind, String name) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Resources(Map<String, String> limits) {}

    public record Source(String type, GitSource git) {}

    public record GitSource(String uri, String ref) {}

    public record Strategy(String type, CustomStrategy customStrategy) {}

    public record CustomStrategy(ObjectReference from, boolean exposeDockerSocket, List<EnvVar> env, List<SecretMount> secrets) {}

    /** An environment variable with either a literal value or one taken from a ConfigMap. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvVar(String name, String value, EnvVarSource valueFrom) {}

    public record EnvVarSource(ConfigMapKeyRef configMapKeyRef) {}

    public record ConfigMapKeyRef(String name, String key) {}

    public record SecretMount(String mountPath, SecretSource secretSource) {}

    public record SecretSource(String name) {}
}
