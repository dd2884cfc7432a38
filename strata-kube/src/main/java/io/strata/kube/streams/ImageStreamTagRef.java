package io.strata.kube.streams;

import java.util.regex.Pattern;

/**
 * A pullspec of an image in an OpenShift integrated registry, split the way OpenShift addresses it:
 * {@code registry.ci.openshift.org/ocp/builder:rhel-8-golang} is namespace {@code ocp}, image stream
 * {@code builder}, tag {@code rhel-8-golang}.
 */
public record ImageStreamTagRef(String registry, String namespace, String imageStream, String tag) {

    // Kubernetes names (lower-case DNS labels/subdomains) and Docker tags.
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern IMAGE_STREAM = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /**
     * Splits {@code registry/namespace/stream:tag}.
     *
     * @throws IllegalArgumentException saying which part is wrong; callers add the stream and field
     */
    public static ImageStreamTagRef parse(String pullspec) {
        int lastSlash = pullspec.lastIndexOf('/');
        int secondLastSlash = lastSlash <= 0 ? -1 : pullspec.lastIndexOf('/', lastSlash - 1);
        if (secondLastSlash <= 0) {
            throw new IllegalArgumentException("expected REGISTRY/NAMESPACE/IMAGESTREAM:TAG");
        }
        String registry = pullspec.substring(0, secondLastSlash);
        String namespace = pullspec.substring(secondLastSlash + 1, lastSlash);
        String istag = pullspec.substring(lastSlash + 1);
        int colon = istag.indexOf(':');
        if (colon < 0 || colon != istag.lastIndexOf(':')) {
            throw new IllegalArgumentException("expected exactly one ':' between image stream and tag");
        }
        String imageStream = istag.substring(0, colon);
        String tag = istag.substring(colon + 1);
        require(NAMESPACE, namespace, "namespace");
        require(IMAGE_STREAM, imageStream, "image stream name");
        require(TAG, tag, "tag");
        return new ImageStreamTagRef(registry, namespace, imageStream, tag);
    }

    private static void require(Pattern pattern, String value, String what) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid " + what);
        }
    }

    /** The same reference with a suffix on the tag (live-test mode appends {@code .test}). */
    public ImageStreamTagRef withTagSuffix(String suffix) {
        return new ImageStreamTagRef(registry, namespace, imageStream, tag + suffix);
    }

    /** The ImageStreamTag name, {@code stream:tag}. */
    public String istag() {
        return imageStream + ":" + tag;
    }

    public String pullspec() {
        return registry + "/" + namespace + "/" + istag();
    }
}
