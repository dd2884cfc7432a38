package io.strata.core.plan;

import io.strata.core.io.TextFiles;

import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The text of a customize document (osbs-client's {@code *_customize.json}) and where it came
 * from, for messages. {@link PlanRenderer} parses and checks it.
 */
public record CustomizeJson(String origin, String text) {

    public CustomizeJson {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
    }

    /** The customize document named by an optional {@code --customize FILE}: empty when none was given. */
    public static java.util.Optional<CustomizeJson> readIfGiven(Path fileOrNull) throws ConfigException {
        return fileOrNull == null ? java.util.Optional.empty() : java.util.Optional.of(read(fileOrNull));
    }

    public static CustomizeJson read(Path file) throws ConfigException {
        try {
            return new CustomizeJson(file.toString(), TextFiles.readUtf8(file));
        } catch (TextFiles.UnreadableTextException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "the customize file " + e.problem(), e.fix()));
        }
    }
}
