package io.strata.core.config.doc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON or YAML document as a tree that remembers where each node was written, so schema checks
 * can say {@code file:line:column}. Jackson's own tree model drops locations; this keeps them.
 */
public sealed interface DocNode permits DocNode.Mapping, DocNode.Sequence, DocNode.Scalar {

    /** 1-based line and column of the node's first character. */
    record Position(int line, int column) {}

    Position position();

    /** What the node is, in words for messages: "a mapping", "a list", "a string", ... */
    String kind();

    /** The same content as plain Java values: {@code Map}, {@code List}, String, Long, Double, Boolean, null. */
    Object toPlain();

    /** One {@code key: value} of a mapping, with the key's own position. */
    record Entry(String key, Position keyPosition, DocNode value) {}

    record Mapping(Position position, List<Entry> entries) implements DocNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        public Optional<DocNode> get(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).findFirst();
        }

        @Override
        public String kind() { return "a mapping"; }

        @Override
        public Object toPlain() {
            Map<String, Object> plain = new LinkedHashMap<>();
            entries.forEach(e -> plain.put(e.key(), e.value().toPlain()));
            return plain;
        }
    }

    record Sequence(Position position, List<DocNode> items) implements DocNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() { return "a list"; }

        @Override
        public Object toPlain() {
            List<Object> plain = new ArrayList<>();
            items.forEach(i -> plain.add(i.toPlain()));
            return plain;
        }
    }

    /** The type a scalar was written as (YAML's plain {@code true} is a boolean, {@code "true"} a string). */
    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    record Scalar(Position position, ScalarType type, String text) implements DocNode {
        public Scalar {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }

        @Override
        public Object toPlain() {
            return switch (type) {
                case STRING -> text;
                case INTEGER -> Long.parseLong(text);
                case FLOAT -> Double.parseDouble(text);
                case BOOLEAN -> Boolean.parseBoolean(text);
                case NULL -> null;
            };
        }
    }
}
