package io.strata.core.build;

/** One installed package in the built image, as Koji's content-generator "components" list wants it. */
public record RpmComponent(String name, String version, String release, String arch, String sigmd5, String epoch) {}
