package io.strata.core.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * Writes JSON on one line the way Python's {@code json.dumps} does by default:
 * {@code {"a": 1, "b": [1, 2]}}. USER_PARAMS was produced by osbs-client in this form, and keeping it
 * makes Strata's output byte-comparable with a BuildConfig osbs-client rendered.
 */
final class PythonJsonPrinter implements PrettyPrinter {

    @Override
    public void writeRootValueSeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(' ');
    }

    @Override
    public void writeStartObject(JsonGenerator gen) throws IOException {
        gen.writeRaw('{');
    }

    @Override
    public void writeEndObject(JsonGenerator gen, int nrOfEntries) throws IOException {
        gen.writeRaw('}');
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(", ");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(": ");
    }

    @Override
    public void writeStartArray(JsonGenerator gen) throws IOException {
        gen.writeRaw('[');
    }

    @Override
    public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
        gen.writeRaw(']');
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
        gen.writeRaw(", ");
    }

    @Override
    public void beforeArrayValues(JsonGenerator gen) {
        // nothing between '[' and the first value
    }

    @Override
    public void beforeObjectEntries(JsonGenerator gen) {
        // nothing between '{' and the first key
    }
}
