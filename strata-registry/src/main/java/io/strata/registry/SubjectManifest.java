package io.strata.registry;

/**
 * The manifest an artifact is attached to, as the {@code subject} descriptor of the artifact
 * needs it: media type, digest and size of the bytes the registry serves.
 */
public record SubjectManifest(String mediaType, String digest, long size) {}
