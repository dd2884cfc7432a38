package io.strata.kube.streams;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.strata.core.StrataException;
import io.strata.core.io.TextFiles;
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
            return TextFiles.readUtf8(file);
        } catch (TextFiles.UnreadableTextException e) {
            throw switch (e.kind()) {
                case MISSING -> StreamsErrors.fileMissing(what, file);
                case NOT_UTF8, DIRECTORY, NOT_A_FILE -> StreamsErrors.invalidFile(file, e.problem(), e.fix());
                case UNREADABLE -> StreamsErrors.fileUnreadable(file, e);
            };
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

    /**
     * What is wrong, in the terms of the YAML file: where (the key path) and what shape was expected.
     * Jackson's own message names Java types ({@code java.util.LinkedHashMap<...StreamDefinition>}),
     * which mean nothing to someone editing streams.yml.
     */
    static String problem(JsonProcessingException e) {
        String where = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? "at " + mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[") + ": "
                : "";
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String found = FOUND.matcher(String.valueOf(e.getOriginalMessage())).results().map(m -> m.group(1)).findFirst()
                    .map(GroupDirectory::shapeOfToken).map(shape -> ", found " + shape).orElse("");
            String root = where.isEmpty() ? "the top level: " : where;
            return root + "expected " + shapeOf(mismatch.getTargetType()) + found;
        }
        String message = e.getOriginalMessage();
        message = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        // Whatever else Jackson says, a Java type name helps nobody editing YAML.
        return where + JAVA_TYPE.matcher(message).replaceAll("a value");
    }

    private static final java.util.regex.Pattern FOUND = java.util.regex.Pattern.compile("from (\\w+) value");
    private static final java.util.regex.Pattern JAVA_TYPE = java.util.regex.Pattern.compile("`[a-z][\\w.$]*(<[^`]*>)?`");

    private static String shapeOf(Class<?> type) {
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value lines)";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list (- item lines)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return type == String.class ? "a string" : "a mapping (key: value lines)";
    }

    private static String shapeOfToken(String jacksonShape) {
        return switch (jacksonShape) {
            case "Array" -> "a list";
            case "Object" -> "a mapping";
            case "String" -> "a string";
            case "Integer", "Float" -> "a number";
            case "Boolean" -> "true or false";
            default -> jacksonShape.toLowerCase(java.util.Locale.ROOT);
        };
    }
}
