package io.strata.kube.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.strata.core.StrataException;
import io.strata.core.io.AtomicFiles;
import io.strata.kube.streams.wire.ClusterObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes generated objects as one multi-document YAML file, ready for {@code oc apply -f}. Multi-line
 * strings (the Dockerfiles, the keep-alive script) are written as literal blocks so the file reads
 * like the Dockerfile it carries.
 */
public final class StreamsWriter {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // ... but a string that reads as a number (a stream called "1.15") must stay a string.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            // Long strings (descriptions, RUN lines) stay on one line, as written.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    /** The YAML text: each object as its own document; empty when there is nothing to write. */
    public String render(GeneratedObjects objects) {
        if (objects.isEmpty()) {
            // doozer writes an empty file too; the YAML emitter cannot close a stream of zero documents.
            return "";
        }
        StringWriter out = new StringWriter();
        try (SequenceWriter documents = YAML.writer().writeValues(out)) {
            for (ClusterObject object : objects.all()) {
                documents.write(object);
            }
        } catch (IOException e) {
            // Writing records to a StringWriter cannot fail on I/O; anything here is a programming error.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the YAML to {@code file} atomically: readers see the old file or the complete new one. */
    public void write(Path file, GeneratedObjects objects) throws StrataException {
        String yaml = render(objects);
        try {
            AtomicFiles.writeString(file, yaml);
        } catch (IOException e) {
            throw new StrataException("OUTPUT_WRITE_FAILED", "cannot write " + file + ": " + e.getMessage(),
                    "check that the directory exists and is writable, or choose another file with -o", e);
        }
    }
}
