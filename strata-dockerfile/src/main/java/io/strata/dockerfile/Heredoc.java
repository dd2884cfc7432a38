package io.strata.dockerfile;

/**
 * A here-document attached to RUN, COPY or ADD. {@code content} is the body as the build sees it
 * (leading tabs stripped for {@code <<-}), without the terminator line; {@code expand} is false when
 * the delimiter was quoted, which turns variable expansion in the body off.
 */
public record Heredoc(String name, String content, boolean chomp, boolean expand, int fileDescriptor) {}
