package io.strata.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * A fully qualified image reference: registry, repository, and optionally a tag and a digest.
 * {@link #parse} applies docker's normalisation ({@code busybox} means
 * {@code docker.io/library/busybox}); {@link #toString()} always writes the fully qualified form,
 * so a reference survives a round trip through text unchanged.
 *
 * @param registry   registry host with optional port, e.g. {@code quay.io} or {@code 127.0.0.1:5000}
 * @param repository repository path inside the registry, e.g. {@code library/busybox}
 * @param tag        the tag, when the reference names one
 * @param digest     the manifest digest ({@code sha256:...}), when the reference is pinned
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<String> digest) {

    /** The tag docker pulls when a reference names neither a tag nor a digest. */
    public static final String DEFAULT_TAG = "latest";

    private static final String FORMAT_HINT = "write it as [registry[:port]/]repository[:tag][@sha256:<64 hex digits>],"
            + " for example quay.io/strata/base:1.0 or 127.0.0.1:5000/hello@sha256:...";

    public ImageReference {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        ReferenceGrammar.referenceProblem(registry, repository, tag, digest).ifPresent(problem -> {
            throw new IllegalArgumentException("invalid image reference: " + problem);
        });
    }

    /**
     * Parses a reference the way docker does.
     *
     * @throws RegistryException with reason {@code INVALID_IMAGE_REFERENCE}, naming the text and the problem
     */
    public static ImageReference parse(String text) throws RegistryException {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty");
        }
        Optional<String> imageId = ReferenceGrammar.imageIdProblem(text);
        if (imageId.isPresent()) {
            throw invalid(text, imageId.get());
        }
        String nameAndTag = text;
        Optional<String> digest = Optional.empty();
        int at = text.indexOf('@');
        if (at >= 0) {
            nameAndTag = text.substring(0, at);
            digest = Optional.of(text.substring(at + 1));
        }

        String registry = ReferenceGrammar.DEFAULT_REGISTRY;
        String remainder = nameAndTag;
        int slash = nameAndTag.indexOf('/');
        if (slash >= 0 && ReferenceGrammar.looksLikeRegistry(nameAndTag.substring(0, slash))) {
            registry = nameAndTag.substring(0, slash);
            remainder = nameAndTag.substring(slash + 1);
        }

        String repository = remainder;
        Optional<String> tag = Optional.empty();
        int colon = remainder.lastIndexOf(':');
        if (colon >= 0) {
            repository = remainder.substring(0, colon);
            tag = Optional.of(remainder.substring(colon + 1));
        }

        if (registry.equals(ReferenceGrammar.LEGACY_DEFAULT_REGISTRY)) {
            registry = ReferenceGrammar.DEFAULT_REGISTRY;
        }
        if (registry.equals(ReferenceGrammar.DEFAULT_REGISTRY) && !repository.contains("/")
                && !repository.isEmpty()) {
            repository = ReferenceGrammar.OFFICIAL_IMAGES_NAMESPACE + repository;
        }

        Optional<String> problem = ReferenceGrammar.referenceProblem(registry, repository, tag, digest);
        if (problem.isPresent()) {
            throw invalid(text, problem.get());
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    /** This reference pinned to {@code digest}; the tag, if any, is kept for readers. */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, tag, Optional.of(newDigest));
    }

    /** This repository at {@code newTag}, without a digest (a digest would override the tag). */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, Optional.of(newTag), Optional.empty());
    }

    /** This reference pinned to {@code newDigest} with no tag: the form to pull an exact image by. */
    public ImageReference pinnedTo(String newDigest) {
        return new ImageReference(registry, repository, Optional.empty(), Optional.of(newDigest));
    }

    /** Registry and repository without tag or digest, e.g. {@code 127.0.0.1:5000/hello}. */
    public String name() {
        return registry + "/" + repository;
    }

    /**
     * What to ask the registry's manifest endpoint for: the digest when pinned (a digest overrides
     * a tag, as in docker), else the tag, else {@value #DEFAULT_TAG}.
     */
    public String manifestReference() {
        return digest.or(() -> tag).orElse(DEFAULT_TAG);
    }

    public boolean isPinned() {
        return digest.isPresent();
    }

    @Override
    public String toString() {
        return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }

    private static RegistryException invalid(String text, String problem) {
        return new RegistryException(RegistryException.Reason.INVALID_IMAGE_REFERENCE,
                "invalid image reference '" + text + "': " + problem, FORMAT_HINT);
    }
}
