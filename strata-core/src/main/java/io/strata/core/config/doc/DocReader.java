package io.strata.core.config.doc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON or YAML with Jackson's streaming parser into a {@link DocNode} tree that keeps
 * positions. A syntax error or a key written twice in one mapping is a {@link ConfigException}
 * naming file:line:column.
 */
public final class DocReader {
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private static final Pattern YAML_MARK = Pattern.compile("\\s*in '[^']*', line (\\d+), column (\\d+):?\\s*");

    private DocReader() {}

    public static DocNode readJson(String origin, String text) throws ConfigException {
        return read(JSON, origin, text);
    }

    public static DocNode readYaml(String origin, String text) throws ConfigException {
        return read(YAML, origin, text);
    }

    private static DocNode read(JsonFactory factory, String origin, String text) throws ConfigException {
        List<ConfigProblem> duplicates = new ArrayList<>();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigException(new ConfigProblem(origin, 1, "the document is empty",
                        "write the document's top-level mapping"));
            }
            DocNode root = node(parser, origin, duplicates);
            if (parser.nextToken() != null) {
                DocNode.Position at = position(parser.currentTokenLocation());
                duplicates.add(new ConfigProblem(origin, at.line(), at.column(), "content after the end of the document",
                        "remove it, or put everything in one top-level mapping"));
            }
            if (!duplicates.isEmpty()) {
                throw new ConfigException(duplicates);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxProblem(origin, e));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(origin, 0, "cannot read: " + e.getMessage(), ""));
        }
    }

    private static DocNode node(JsonParser parser, String origin, List<ConfigProblem> problems) throws IOException {
        DocNode.Position position = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                List<DocNode.Entry> entries = new ArrayList<>();
                Map<String, DocNode.Position> seen = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    DocNode.Position keyPosition = position(parser.currentTokenLocation());
                    parser.nextToken();
                    DocNode value = node(parser, origin, problems);
                    DocNode.Position earlier = seen.putIfAbsent(key, keyPosition);
                    if (earlier != null) {
                        problems.add(new ConfigProblem(origin, keyPosition.line(), keyPosition.column(),
                                "key '" + key + "' appears again (first at line " + earlier.line() + ")",
                                "keep one '" + key + "'"));
                    } else {
                        entries.add(new DocNode.Entry(key, keyPosition, value));
                    }
                }
                yield new DocNode.Mapping(position, entries);
            }
            case START_ARRAY -> {
                List<DocNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(parser, origin, problems));
                }
                yield new DocNode.Sequence(position, items);
            }
            case VALUE_STRING -> new DocNode.Scalar(position, DocNode.ScalarType.STRING, parser.getText());
            case VALUE_NUMBER_INT -> new DocNode.Scalar(position, DocNode.ScalarType.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT -> new DocNode.Scalar(position, DocNode.ScalarType.FLOAT, parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> new DocNode.Scalar(position, DocNode.ScalarType.BOOLEAN,
                    Boolean.toString(token == JsonToken.VALUE_TRUE));
            case VALUE_NULL -> new DocNode.Scalar(position, DocNode.ScalarType.NULL, "null");
            default -> throw new IOException("unexpected " + token + " at line " + position.line());
        };
    }

    /**
     * A parse failure as one readable problem. SnakeYAML (under Jackson's YAML parser) writes several
     * lines with source excerpts and points at the real culprit in its last "line L, column C";
     * Jackson's JSON messages carry a "[Source: ...]" blob. Both are reduced to their sentences.
     */
    private static ConfigProblem syntaxProblem(String origin, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : Math.max(0, at.getLineNr());
        int column = at == null ? 0 : Math.max(0, at.getColumnNr());
        String original = e.getOriginalMessage().replaceAll(
                "\\[Source: [^;]*(?:\\([^)]*\\))?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        List<String> sentences = new ArrayList<>();
        for (String text : original.split("\\R")) {
            Matcher marker = YAML_MARK.matcher(text);
            if (marker.matches()) {
                line = Integer.parseInt(marker.group(1));
                column = Integer.parseInt(marker.group(2));
            } else if (!text.isBlank() && !Character.isWhitespace(text.charAt(0))) {
                sentences.add(text.strip());
            }
        }
        return new ConfigProblem(origin, line, column, "syntax error: " + String.join("; ", sentences),
                "correct the syntax at this position");
    }

    private static DocNode.Position position(JsonLocation location) {
        return new DocNode.Position(Math.max(0, location.getLineNr()), Math.max(0, location.getColumnNr()));
    }
}
