package io.strata.kube.streams;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Templates held in memory: for generating from configuration built in code (tests, benchmarks). */
public record InMemoryTemplates(Map<Transform, String> templates) implements TemplateLoader {

    public InMemoryTemplates {
        templates = templates.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(templates));
    }

    /** The same template text for every transform. */
    public static InMemoryTemplates sameForAll(String template) {
        Map<Transform, String> all = new EnumMap<>(Transform.class);
        for (Transform transform : Transform.values()) {
            all.put(transform, template);
        }
        return new InMemoryTemplates(all);
    }

    @Override
    public Optional<String> load(Transform transform) {
        return Optional.ofNullable(templates.get(transform));
    }

    @Override
    public String location(Transform transform) {
        return "<in-memory template " + transform.id() + ">";
    }
}
