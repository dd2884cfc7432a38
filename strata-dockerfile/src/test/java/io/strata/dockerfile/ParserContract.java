package io.strata.dockerfile;

import java.util.Map;

/**
 * What must hold for any input, the property both fuzzers check: parsing either succeeds losslessly or
 * throws a {@link DockerfileException} with a line and a message; every getter of a parsed file answers
 * or throws the documented {@link UncheckedDockerfileException} (a {@code ${V:?}} that fails). Nothing
 * else may escape: no runtime exception, no stack overflow.
 */
final class ParserContract {
    private ParserContract() {}

    static void holdsFor(byte[] bytes) {
        try {
            Dockerfile d = Dockerfile.parse(bytes);
            holdsForParsed(d, d.content());
        } catch (DockerfileException e) {
            checkError(e);
        }
    }

    static void holdsFor(String text) {
        Dockerfile d;
        try {
            d = Dockerfile.parse(text);
        } catch (DockerfileException e) {
            checkError(e);
            return;
        }
        holdsForParsed(d, text);
    }

    private static void holdsForParsed(Dockerfile d, String text) {
        if (!d.content().equals(text)) {
            throw new AssertionError("not lossless");
        }
        StringBuilder joined = new StringBuilder(text.length());
        d.nodes().forEach(n -> joined.append(n.text()));
        if (!joined.toString().equals(text)) {
            throw new AssertionError("nodes do not cover the input");
        }
        d.problems().forEach(p -> {
            if (p.line() < 1 || p.message().isEmpty() || p.hint().isEmpty()) {
                throw new AssertionError("problem without line, message or hint: " + p);
            }
        });
        d.structure();
        d.parentImages();
        d.baseImage();
        d.isMultiStage();
        d.directives();
        try {
            d.requireBuildable();
        } catch (DockerfileException e) {
            checkError(e);
        }
        try {
            d.labels();
            d.envs();
            d.args();
            d.cmd();
            d.entrypoint();
            for (Stage stage : d.stages(Map.of("A", "1"))) {
                d.stage(stage.index(), Map.of(), true);
                d.stage(stage.index(), Map.of(), false);
            }
        } catch (UncheckedDockerfileException e) {
            checkError(e.getCause());
        } catch (DockerfileException e) {
            checkError(e);
        }
    }

    private static void checkError(DockerfileException e) {
        if (e.line() < 0 || e.getMessage() == null || e.getMessage().isEmpty() || e.code() == null) {
            throw new AssertionError("error without line, message or code: " + e);
        }
    }
}
