package io.strata.dockerfile;

/** The command of RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK CMD: exec (JSON) form or shell form. */
public sealed interface Command permits Arguments.ExecForm, Arguments.ShellForm {}
