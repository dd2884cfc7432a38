package io.strata.kube.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.StepTiming;
import io.strata.core.engine.WorkerResult;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker reports when it ends, in the result ConfigMap (or {@code --result-file}): its
 * state, failure (reason code, message, hint; already masked), whether the failure may pass, the
 * steps it ran with their timings, the commit it built, the images it pushed (digest, tags,
 * components, labels) and the Koji metadata. The engine replays the steps and outputs as events of
 * the build, so the record holds the same as a local build's.
 */
public record ResultDocument(
        @JsonProperty("state") BuildState state,
        @JsonProperty("failure") Optional<Failure> failure,
        @JsonProperty("transient") boolean transientFailure,
        @JsonProperty("steps") List<StepRun> steps,
        @JsonProperty("commit") Optional<String> commit,
        @JsonProperty("outputs") List<ImageOutput> outputs,
        @JsonProperty("koji_metadata") Optional<String> kojiMetadata) {

    /** One step as it ran; {@code detail} is the step's failure message when it failed. */
    public record StepRun(@JsonProperty("index") int index, @JsonProperty("total") int total,
            @JsonProperty("timing") StepTiming timing, @JsonProperty("detail") Optional<String> detail) {}

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new Jdk8Module()).addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    public ResultDocument {
        Objects.requireNonNull(state, "state");
        failure = Objects.requireNonNullElse(failure, Optional.empty());
        steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
        commit = Objects.requireNonNullElse(commit, Optional.empty());
        outputs = List.copyOf(Objects.requireNonNullElse(outputs, List.of()));
        kojiMetadata = Objects.requireNonNullElse(kojiMetadata, Optional.empty());
    }

    public WorkerResult toResult() {
        return new WorkerResult(state, failure, transientFailure);
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a result; a document that is not one is a failure of the worker, said in the exception. */
    public static ResultDocument fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, ResultDocument.class);
    }
}
