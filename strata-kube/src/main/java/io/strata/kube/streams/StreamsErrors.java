package io.strata.kube.streams;

import io.strata.core.StrataException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every failure the streams generator reports, in one place so the wording stays consistent: what went
 * wrong, for which stream or file (with the line when there is one), and how to fix it.
 */
public final class StreamsErrors {
    private StreamsErrors() {}

    /** How many known stream names a hint lists; real groups have hundreds. */
    static final int LISTED_NAMES = 10;

    public static StrataException streamNotFound(String stream, Path streamsFile, List<String> known) {
        String names = known.isEmpty()
                ? "(none defined)"
                : String.join(", ", known.subList(0, Math.min(LISTED_NAMES, known.size())));
        if (known.size() > LISTED_NAMES) {
            names += ", ... (" + (known.size() - LISTED_NAMES) + " more in " + streamsFile + ")";
        }
        return new StrataException("STREAM_NOT_FOUND", "stream " + stream + " is not defined in " + streamsFile,
                "use one of: " + names);
    }

    public static StrataException unknownTransform(String stream, String transform, Path streamsFile) {
        return new StrataException("STREAM_UNKNOWN_TRANSFORM",
                "cannot render a BuildConfig for stream " + stream + ": transform '" + transform
                        + "' in " + streamsFile + " is not one of " + Transform.validIds(),
                "set transform to one of " + Transform.validIds() + ", or remove it if the stream needs no build");
    }

    public static StrataException missingUpstreamImages(String stream, Path streamsFile) {
        return new StrataException("STREAM_UPSTREAM_IMAGE_MISSING",
                "cannot render a BuildConfig for stream " + stream + ": " + streamsFile
                        + " must define both upstream_image_base and upstream_image",
                "add upstream_image_base (the build input) and upstream_image (the build output) to stream " + stream);
    }

    public static StrataException invalidPullspec(String stream, String field, String pullspec, String problem) {
        return new StrataException("STREAM_PULLSPEC_INVALID",
                "stream " + stream + ": " + field + " '" + pullspec + "' is not an image stream tag pullspec: " + problem,
                "write it as REGISTRY/NAMESPACE/IMAGESTREAM:TAG, e.g. registry.ci.openshift.org/ocp/builder:rhel-8-base");
    }

    static StrataException invalidDerivedName(String stream, String what, String name, String rule) {
        return new StrataException("STREAM_NAME_INVALID",
                "stream " + stream + ": the " + what + " '" + name + "' derived from upstream_image is not a valid"
                        + " Kubernetes name (" + rule + ")",
                "shorten or rename the image stream and tag of upstream_image for stream " + stream);
    }

    public static StrataException missingX8664Baseurl(String stream, String repo, Path groupFile) {
        return new StrataException("REPO_BASEURL_MISSING",
                "cannot add localdev repository for stream " + stream + ": repo " + repo + " in " + groupFile
                        + " has localdev enabled but no x86_64 baseurl",
                "add repos." + repo + ".conf.baseurl.x86_64 (or baseurl.unsigned.x86_64), or disable"
                        + " ci_alignment.localdev for it");
    }

    public static StrataException missingGroupField(String field, Path groupFile) {
        return new StrataException("GROUP_CONFIG_INVALID",
                groupFile + " does not define " + field,
                "add " + field + " to " + groupFile);
    }

    public static StrataException fileMissing(String what, Path file) {
        return new StrataException("GROUP_FILE_MISSING",
                what + " " + file + " does not exist",
                "point --group-dir at a group directory containing group.yml, streams.yml and streams_transforms/");
    }

    public static StrataException fileUnreadable(Path file, Exception cause) {
        return new StrataException("GROUP_FILE_UNREADABLE",
                "cannot read " + file + ": " + cause.getMessage(),
                "make the file readable by this user", cause);
    }

    /** A file that is there but is no text file Strata can read: a directory, a pipe, not UTF-8. */
    public static StrataException invalidFile(Path file, String problem, String fix) {
        return new StrataException("GROUP_FILE_INVALID", file + " " + problem, fix);
    }

    /** Malformed YAML or a value of the wrong shape; {@code line} is 1-based, or 0 when unknown. */
    public static StrataException invalidYaml(Path file, int line, String problem, Exception cause) {
        String where = line > 0 ? file + ":" + line : file.toString();
        return new StrataException("GROUP_FILE_INVALID",
                where + ": " + problem,
                "fix the YAML at " + where, cause);
    }

    public static StrataException templateMissing(String stream, Transform transform, String location) {
        return new StrataException("TRANSFORM_TEMPLATE_MISSING",
                "transform " + transform.id() + " of stream " + stream + " has no template: " + location + " does not exist",
                "add the Dockerfile template for " + transform.id() + " to the group directory");
    }

    public static StrataException templateInvalid(String stream, Transform transform, String where, String problem,
            String hint, Exception cause) {
        return new StrataException("TRANSFORM_TEMPLATE_INVALID",
                "transform " + transform.id() + " of stream " + stream + ": " + where + ": " + problem,
                hint.isEmpty() ? "fix the Dockerfile template at " + where : hint, cause);
    }
}
