package io.strata.kube.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Strata's part of a worker pod's input ({@code STRATA_WORKER}), beside USER_PARAMS: which build
 * and attempt this is, its platform, where its log continues, its network policy, its plan (JSON)
 * and the configuration values the worker's steps read (registry, vendor, network settings; never a
 * password or token: those the configuration redacts, and credentials come from mounted secrets).
 */
public record WorkerOrder(
        @JsonProperty("build_id") String buildId,
        @JsonProperty("platform") String platform,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("log_after") long logAfter,
        @JsonProperty("network_policy") String networkPolicy,
        @JsonProperty("plan") String planJson,
        @JsonProperty("config") Map<String, String> config) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public WorkerOrder {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(planJson, "planJson");
        config = Map.copyOf(Objects.requireNonNullElse(config, Map.of()));
    }

    public BuildId id() {
        return new BuildId(buildId);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static WorkerOrder fromJson(String json) throws StrataException {
        try {
            WorkerOrder order = JSON.readValue(json, WorkerOrder.class);
            if (!BuildId.isValid(order.buildId())) {
                throw new StrataException("WORKER_INPUT_INVALID", WorkerPodContract.STRATA_WORKER + " names no valid build id: " + order.buildId(),
                        "the engine writes STRATA_WORKER; run the worker from a pod or Build Strata made, or copy that pod's environment");
            }
            return order;
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new StrataException("WORKER_INPUT_INVALID", WorkerPodContract.STRATA_WORKER + " is not a worker order: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                    "the engine writes STRATA_WORKER; run the worker from a pod or Build Strata made, or copy that pod's environment");
        }
    }
}
