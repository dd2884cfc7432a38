package io.strata.registry;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar of image references as the distribution project defines it (the one docker, podman
 * and skopeo accept). Each check returns the problem in words, or empty when the part is valid, so
 * that {@link ImageReference#parse} can turn it into a user-facing error and the record
 * constructor into a programming error, from one set of rules.
 */
final class ReferenceGrammar {
    static final String DEFAULT_REGISTRY = "docker.io";
    static final String LEGACY_DEFAULT_REGISTRY = "index.docker.io";
    static final String OFFICIAL_IMAGES_NAMESPACE = "library/";
    /** Total length limit of registry plus repository, from the distribution spec. */
    static final int MAX_NAME_LENGTH = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})");
    private static final Pattern HEX_64 = Pattern.compile("[a-f0-9]{64}");

    private ReferenceGrammar() {}

    /** The first problem with a reference's parts, or empty when all are valid. */
    static Optional<String> referenceProblem(
            String registry, String repository, Optional<String> tag, Optional<String> digest) {
        return registryProblem(registry)
                .or(() -> repositoryProblem(repository))
                .or(() -> nameLengthProblem(registry, repository))
                .or(() -> tag.flatMap(ReferenceGrammar::tagProblem))
                .or(() -> digest.flatMap(ReferenceGrammar::digestProblem));
    }

    static Optional<String> registryProblem(String registry) {
        if (registry == null || registry.isEmpty()) {
            return Optional.of("the registry host is empty");
        }
        if (!REGISTRY.matcher(registry).matches()) {
            return Optional.of("'" + registry + "' is not a valid registry host[:port]");
        }
        return Optional.empty();
    }

    static Optional<String> repositoryProblem(String repository) {
        if (repository == null || repository.isEmpty()) {
            return Optional.of("the repository name is empty");
        }
        if (!repository.equals(repository.toLowerCase(Locale.ROOT))) {
            return Optional.of("the repository name '" + repository + "' must be lowercase");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return Optional.of(component.isEmpty()
                        ? "the repository name '" + repository + "' has an empty path component"
                        : "the repository path component '" + component + "' may only hold a-z, 0-9 and single"
                                + " '.', '_', '__' or '-' separators between them");
            }
        }
        return Optional.empty();
    }

    static Optional<String> nameLengthProblem(String registry, String repository) {
        int length = registry.length() + 1 + repository.length();
        return length > MAX_NAME_LENGTH
                ? Optional.of("the name is " + length + " characters long; the limit is " + MAX_NAME_LENGTH)
                : Optional.empty();
    }

    static Optional<String> tagProblem(String tag) {
        if (tag == null || tag.isEmpty()) {
            return Optional.of("the tag after ':' is empty");
        }
        return TAG.matcher(tag).matches()
                ? Optional.empty()
                : Optional.of("the tag '" + tag + "' may only hold letters, digits, '_', '.' and '-', must not"
                        + " start with '.' or '-', and is at most 128 characters");
    }

    static Optional<String> digestProblem(String digest) {
        if (digest == null || digest.isEmpty()) {
            return Optional.of("the digest after '@' is empty");
        }
        return DIGEST.matcher(digest).matches()
                ? Optional.empty()
                : Optional.of("the digest '" + digest + "' is not sha256:<64 lowercase hex digits>"
                        + " (or sha512:<128 hex digits>)");
    }

    /** Docker refuses a bare 64-hex-digit name because it would be mistaken for a local image id. */
    static Optional<String> imageIdProblem(String text) {
        return HEX_64.matcher(text).matches()
                ? Optional.of("a name of 64 hexadecimal characters is an image id, not a reference")
                : Optional.empty();
    }

    /**
     * Docker's rule for whether the first path component names a registry: it contains '.' or ':',
     * is {@code localhost}, or has upper-case letters (repository names cannot).
     */
    static boolean looksLikeRegistry(String firstComponent) {
        return firstComponent.contains(".")
                || firstComponent.contains(":")
                || firstComponent.equals("localhost")
                || !firstComponent.equals(firstComponent.toLowerCase(Locale.ROOT));
    }
}
