package io.strata.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An INI file as Python's configparser reads it: sections in file order, keys lower-cased,
 * values as written (continuation lines joined with a newline), each with the line it starts on.
 *
 * @param file     where it came from, for messages
 * @param sections in file order
 */
public record IniDocument(String file, List<Section> sections) {

    public IniDocument {
        sections = List.copyOf(sections);
    }

    /** One {@code [name]} section; {@code entries} keeps file order. */
    public record Section(String name, int line, Map<String, Entry> entries) {
        public Section {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public Optional<Entry> entry(String key) {
            return Optional.ofNullable(entries.get(key));
        }
    }

    /** One {@code key = value}. */
    public record Entry(String key, String value, int line) {}

    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
