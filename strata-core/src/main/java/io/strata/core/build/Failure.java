package io.strata.core.build;

/** Why a build did not complete: a stable reason code and a message for people. */
public record Failure(String reason, String message) {}
