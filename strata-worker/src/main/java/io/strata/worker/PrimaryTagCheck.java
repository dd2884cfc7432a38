package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Background;
import io.strata.registry.ImageReference;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * The labels of the image a build's primary tag points at, read on a virtual thread while buildah
 * builds (a registry round trip or two that would otherwise wait before the push); tag_and_push
 * judges them before it pushes anything. Only registry reads: a build that fails before
 * tag_and_push leaves it to end by itself.
 *
 * @param primary the tag read, so a tag_and_push that would push elsewhere reads its own
 */
record PrimaryTagCheck(ImageReference primary, Future<Read> read) {
    /**
     * How old a reading may be when the push begins. The check guards against another component's
     * build taking the same tag; a reading older than this (a long build) is made again just before
     * the push, so the window between check and push stays as short as it was without reading ahead.
     */
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    /** The labels under the tag (empty when it holds no image), and when they were read ({@link System#nanoTime}). */
    record Read(Optional<Map<String, String>> labels, long atNanos) {}

    static PrimaryTagCheck begin(ImageReference primary, Callable<Optional<Map<String, String>>> labels) {
        return new PrimaryTagCheck(primary, Background.start("strata-primary-tag-check",
                () -> new Read(labels.call(), System.nanoTime())));
    }

    /**
     * The labels read, when the reading succeeded and is at most {@link #MAX_AGE} old; empty when it is
     * older or failed (read them again: a registry that failed for a moment while the image was built
     * may answer now, and one that still fails says so then).
     */
    Optional<Optional<Map<String, String>>> joinIfFresh() throws InterruptedException {
        Read done;
        try {
            done = Background.join(read, "reading the primary tag " + primary);
        } catch (StrataException | RuntimeException e) {
            return Optional.empty();
        }
        return System.nanoTime() - done.atNanos() <= MAX_AGE.toNanos() ? Optional.of(done.labels()) : Optional.empty();
    }
}
