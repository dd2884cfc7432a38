package io.strata.dockerfile;

import java.util.List;

/** The parsed arguments of an instruction; which variant depends on the keyword (and on JSON vs shell form). */
public sealed interface Arguments {

    /** JSON array form of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD. */
    record ExecForm(List<String> args) implements Arguments, Command {
        public ExecForm {
            args = List.copyOf(args);
        }
    }

    /** Shell form: the command text as written (continuations joined, comments inside removed). */
    record ShellForm(String command) implements Arguments, Command {}

    /** ENV and LABEL; {@code legacyForm} for {@code ENV key value}. */
    record KeyValues(List<KeyValue> pairs, boolean legacyForm) implements Arguments {
        public KeyValues {
            pairs = List.copyOf(pairs);
        }
    }

    /** ARG, one or more names with optional defaults. */
    record ArgDeclarations(List<ArgDeclaration> declarations) implements Arguments {
        public ArgDeclarations {
            declarations = List.copyOf(declarations);
        }
    }

    /** FROM: the image as written and the stage name ({@code null} without {@code AS}). */
    record FromImage(String rawImage, String stageName) implements Arguments {}

    /** EXPOSE, and ADD/COPY/VOLUME: words as written, or the strings of a JSON array. */
    record Words(List<String> words, boolean json) implements Arguments {
        public Words {
            words = List.copyOf(words);
        }
    }

    /** USER, WORKDIR, MAINTAINER, STOPSIGNAL: the rest of the line. */
    record Text(String text) implements Arguments {}

    /** HEALTHCHECK NONE. */
    record HealthcheckNone() implements Arguments {}

    /** HEALTHCHECK [options] CMD command; the options are the instruction's flags. */
    record HealthcheckCmd(Command command) implements Arguments {}

    /**
     * The arguments as written, for what has no other shape: an unknown instruction, and HEALTHCHECK or
     * ONBUILD whose arguments BuildKit's build refuses (listed in {@code Dockerfile.problems()}).
     */
    record Unparsed(String text) implements Arguments {}

    /** ONBUILD wrapping another instruction (the trigger). */
    record OnBuild(Instruction trigger) implements Arguments {}
}
