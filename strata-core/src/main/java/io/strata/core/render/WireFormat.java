package io.strata.core.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.strata.core.config.doc.JsonStyle;
import java.io.UncheckedIOException;

/**
 * How rendered documents are written: JSON (indented) or YAML, keys in alphabetical order as
 * {@code oc get -o yaml} shows them, so output is stable and diffs cleanly.
 */
public enum WireFormat {
    JSON(JsonMapper.builder()
            .addModule(new Jdk8Module())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPrettyPrinter(JsonStyle.prettyPrinter())
            .build()),
    YAML(YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    // USER_PARAMS stays on one line, as oc shows it, instead of folded with escapes.
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .build())
            .addModule(new Jdk8Module())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build());

    private final ObjectMapper mapper;

    WireFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A JSON document (such as {@code Plan.toJson()}) in this format, keeping its key order: the
     * stored form of a document decides the order, not this format's alphabetical one.
     */
    public String reformat(String json) {
        try {
            return write(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The document as text, ending with a newline. */
    public String write(Object document) {
        try {
            String text = mapper.writeValueAsString(document);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("wire records always serialise", e);
        }
    }
}
