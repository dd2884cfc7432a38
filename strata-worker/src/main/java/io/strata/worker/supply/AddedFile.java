package io.strata.worker.supply;

/**
 * A regular file one of the build's own layers (not a parent's) puts into the image.
 *
 * @param path   absolute path in the image, e.g. {@code /srv/app/hello.txt}
 * @param sha256 hex SHA-256 of its content
 * @param size   bytes
 */
public record AddedFile(String path, String sha256, long size) {}
