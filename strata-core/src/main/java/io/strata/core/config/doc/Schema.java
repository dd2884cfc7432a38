package io.strata.core.config.doc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The expected shape of a JSON/YAML document, written in code. {@link SchemaChecker} walks a
 * {@link DocNode} against it and reports every mismatch with its position.
 */
public sealed interface Schema {

    /** How the expected type reads in a message: "a string", "a list of strings", ... */
    String describe();

    /** A string, optionally one of fixed choices. */
    record Text(List<String> choices) implements Schema {
        public Text {
            choices = List.copyOf(choices);
        }

        @Override
        public String describe() {
            return choices.isEmpty() ? "a string" : "one of " + choices;
        }
    }

    record Bool() implements Schema {
        @Override
        public String describe() { return "true or false"; }
    }

    /** A whole number in {@code [min, max]}. */
    record Int(long min, long max) implements Schema {
        @Override
        public String describe() {
            return min == max ? "the number " + min : "a whole number from " + min + " to " + max;
        }
    }

    record ListOf(Schema item) implements Schema {
        @Override
        public String describe() { return "a list of " + plural(item.describe()); }
    }

    /** A mapping with free keys and values of one shape. */
    record MapOf(Schema value) implements Schema {
        @Override
        public String describe() { return "a mapping to " + plural(value.describe()); }
    }

    /** Anything at all: for free-form values whose meaning is checked elsewhere. */
    record Any() implements Schema {
        @Override
        public String describe() { return "any value"; }
    }

    /** A mapping with known keys; any other key is an error. */
    record Obj(Map<String, Field> fields) implements Schema {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public String describe() { return "a mapping"; }
    }

    /** One key of an {@link Obj}. */
    record Field(Schema schema, boolean required) {
        public Field {
            Objects.requireNonNull(schema, "schema");
        }
    }

    static Text string() { return new Text(List.of()); }
    static Text oneOf(String... choices) { return new Text(List.of(choices)); }
    static Bool bool() { return new Bool(); }
    static Int integer(long min, long max) { return new Int(min, max); }
    static ListOf listOf(Schema item) { return new ListOf(item); }
    static MapOf mapOf(Schema value) { return new MapOf(value); }
    static Any any() { return new Any(); }
    static Field required(Schema schema) { return new Field(schema, true); }
    static Field optional(Schema schema) { return new Field(schema, false); }

    /** Builds an {@link Obj} keeping the order the keys are given in (it is the order of messages and docs). */
    static ObjBuilder object() { return new ObjBuilder(); }

    final class ObjBuilder {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        public ObjBuilder required(String key, Schema schema) {
            fields.put(key, new Field(schema, true));
            return this;
        }

        public ObjBuilder optional(String key, Schema schema) {
            fields.put(key, new Field(schema, false));
            return this;
        }

        public Obj build() {
            return new Obj(fields);
        }
    }

    private static String plural(String description) {
        return description.startsWith("a ") ? description.substring(2) + "s"
                : description.startsWith("an ") ? description.substring(3) + "s" : description;
    }
}
