package io.strata.kube.streams;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.strata.core.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A group directory laid out like ocp-build-data: {@code group.yml}, {@code streams.yml} and one
 * Dockerfile template per transform under {@code streams_transforms/<transform>/Dockerfile}.
 * Reads the YAML files into records (file:line on malformed input) and serves the templates.
 */
public final class GroupDirectory implements TemplateLoader {
    public static final String GROUP_FILE = "group.yml";
    public static final String STREAMS_FILE = "streams.yml";
    public static final String TRANSFORMS_DIR = "streams_transforms";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            // A stream with no keys at all ("golang:") reads as an empty definition, not null.
            .enable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
            // A stream defined twice would otherwise silently lose its first definition.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path directory;

    public GroupDirectory(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Reads group.yml; {@code {VAR}} references to its own vars are substituted first. */
    public GroupConfig readGroupConfig() throws StrataException {
        Path file = directory.resolve(GROUP_FILE);
        String raw = read(file, "group file");
        // vars must be known before they can be substituted, so group.yml is read twice.
        GroupConfig unexpanded = parse(file, raw, new TypeReference<GroupConfig>() {});
        GroupConfig group = parse(file, new GroupVars(unexpanded.vars()).expand(raw), new TypeReference<GroupConfig>() {});
        return group.withSource(file);
    }

    /** Reads streams.yml, substituting the group's vars. */
    public StreamsConfig readStreamsConfig(GroupConfig group) throws StrataException {
        Path file = directory.resolve(STREAMS_FILE);
        String text = new GroupVars(group.vars()).expand(read(file, "streams file"));
        Map<String, StreamDefinition> parsed =
                parse(file, text, new TypeReference<LinkedHashMap<String, StreamDefinition>>() {});
        Map<String, StreamDefinition> streams = parsed.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey,
                e -> e.getValue() == null ? new StreamDefinition(null, null, null, null) : e.getValue(),
                (a, b) -> a,
                LinkedHashMap::new));
        return new StreamsConfig(file, streams);
    }

    @Override
    public Optional<String> load(Transform transform) throws StrataException {
        Path file = templateFile(transform);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StreamsErrors.fileUnreadable(file, e);
        }
    }

    @Override
    public String location(Transform transform) {
        return templateFile(transform).toString();
    }

    private Path templateFile(Transform transform) {
        return directory.resolve(TRANSFORMS_DIR).resolve(transform.id()).resolve("Dockerfile");
    }

    private static String read(Path file, String what) throws StrataException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw StreamsErrors.fileMissing(what, file);
        } catch (IOException e) {
            throw StreamsErrors.fileUnreadable(file, e);
        }
    }

    private static <T> T parse(Path file, String text, TypeReference<T> type) throws StrataException {
        try (JsonParser parser = YAML.createParser(text)) {
            // A file with nothing but comments has no first token; say so instead of Jackson's "no content".
            if (parser.nextToken() == null) {
                throw StreamsErrors.invalidYaml(file, 0, "the file is empty", null);
            }
            T value = YAML.readValue(parser, type);
            if (value == null) {
                throw StreamsErrors.invalidYaml(file, 0, "the file holds no mapping", null);
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            int line = location == null ? 0 : location.getLineNr();
            throw StreamsErrors.invalidYaml(file, line, problem(e), e);
        } catch (IOException e) {
            // Parsing an in-memory string does no I/O; only malformed content reaches here.
            throw StreamsErrors.invalidYaml(file, 0, e.getMessage(), e);
        }
    }

    /** Jackson's message without its location suffix and source excerpt (the location is reported apart). */
    private static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                    .collect(Collectors.joining("."));
            message = "at " + path + ": " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
