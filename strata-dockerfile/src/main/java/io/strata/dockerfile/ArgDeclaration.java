package io.strata.dockerfile;

/** One name of an ARG instruction, with its default as written ({@code null} when it has none). */
public record ArgDeclaration(String name, String rawDefault) {}
