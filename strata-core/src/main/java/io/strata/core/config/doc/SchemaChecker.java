package io.strata.core.config.doc;

import io.strata.core.config.ConfigProblem;
import io.strata.core.config.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link DocNode} against a {@link Schema} and returns every mismatch (wrong type, unknown
 * key, missing required key, value out of range), each at its file:line:column with the dotted
 * path of the key, e.g. {@code registries[1].url}.
 */
public final class SchemaChecker {
    private SchemaChecker() {}

    public static List<ConfigProblem> check(String origin, DocNode node, Schema schema) {
        List<ConfigProblem> problems = new ArrayList<>();
        check(origin, "", node, schema, problems);
        return problems;
    }

    private static void check(String origin, String path, DocNode node, Schema schema, List<ConfigProblem> problems) {
        switch (schema) {
            case Schema.Any any -> { }
            case Schema.Text text -> {
                if (!(node instanceof DocNode.Scalar s) || s.type() != DocNode.ScalarType.STRING) {
                    // YAML reads an unquoted 1.0 or yes as a number/boolean; quoting makes it a string.
                    mismatch(origin, path, node, schema, "write a string (quote it if it looks like a number or boolean)", problems);
                } else if (!text.choices().isEmpty() && !text.choices().contains(s.text())) {
                    problems.add(at(origin, node, label(path) + "'" + s.text() + "' is not one of " + text.choices(),
                            "write one of: " + String.join(", ", text.choices())));
                }
            }
            case Schema.Bool bool -> {
                if (!(node instanceof DocNode.Scalar s) || s.type() != DocNode.ScalarType.BOOLEAN) {
                    mismatch(origin, path, node, schema, "write true or false, unquoted", problems);
                }
            }
            case Schema.Int range -> {
                if (!(node instanceof DocNode.Scalar s) || s.type() != DocNode.ScalarType.INTEGER) {
                    mismatch(origin, path, node, schema, "write a whole number, unquoted", problems);
                } else {
                    long value = Long.parseLong(s.text());
                    if (value < range.min() || value > range.max()) {
                        problems.add(at(origin, node, label(path) + value + " is out of range", "write " + range.describe()));
                    }
                }
            }
            case Schema.ListOf list -> {
                if (node instanceof DocNode.Sequence seq) {
                    for (int i = 0; i < seq.items().size(); i++) {
                        check(origin, path + "[" + i + "]", seq.items().get(i), list.item(), problems);
                    }
                } else {
                    mismatch(origin, path, node, schema, "write a list: one '- item' per line, or [a, b]", problems);
                }
            }
            case Schema.MapOf map -> {
                if (node instanceof DocNode.Mapping mapping) {
                    mapping.entries().forEach(e -> check(origin, join(path, e.key()), e.value(), map.value(), problems));
                } else {
                    mismatch(origin, path, node, schema, "write a mapping of key: value lines", problems);
                }
            }
            case Schema.Obj obj -> checkObject(origin, path, node, obj, problems);
        }
    }

    private static void checkObject(String origin, String path, DocNode node, Schema.Obj obj, List<ConfigProblem> problems) {
        if (!(node instanceof DocNode.Mapping mapping)) {
            mismatch(origin, path, node, obj, "write a mapping with the keys " + obj.fields().keySet(), problems);
            return;
        }
        for (DocNode.Entry entry : mapping.entries()) {
            Schema.Field field = obj.fields().get(entry.key());
            if (field == null) {
                problems.add(new ConfigProblem(origin, entry.keyPosition().line(), entry.keyPosition().column(),
                        "unknown key '" + join(path, entry.key()) + "'",
                        Suggestions.fixFor(entry.key(), obj.fields().keySet(),
                                "keys" + (path.isEmpty() ? "" : " of " + path))));
            } else {
                check(origin, join(path, entry.key()), entry.value(), field.schema(), problems);
            }
        }
        for (Map.Entry<String, Schema.Field> field : obj.fields().entrySet()) {
            if (field.getValue().required() && mapping.get(field.getKey()).isEmpty()) {
                problems.add(at(origin, node, "missing required key '" + join(path, field.getKey()) + "'",
                        "add " + field.getKey() + ": <" + field.getValue().schema().describe() + ">"));
            }
        }
    }

    private static void mismatch(String origin, String path, DocNode node, Schema expected, String fix,
                                 List<ConfigProblem> problems) {
        problems.add(at(origin, node, label(path) + "expected " + expected.describe() + ", found " + node.kind(), fix));
    }

    private static ConfigProblem at(String origin, DocNode node, String message, String fix) {
        return new ConfigProblem(origin, node.position().line(), node.position().column(), message, fix);
    }

    private static String label(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
