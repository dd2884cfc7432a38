package io.strata.kube.streams;

import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a transform template into the Dockerfile of one stream's BuildConfig, editing it the way
 * doozer does: mark the image as built in CI (done once per template), label it, then append the
 * repository lines.
 */
final class CiDockerfileRenderer {
    private final TransformTemplates templates;
    private final RepoLines repoLines;
    private final String groupLabel;

    CiDockerfileRenderer(TransformTemplates templates, RepoLines repoLines, String groupLabel) {
        this.templates = templates;
        this.repoLines = repoLines;
        this.groupLabel = groupLabel;
    }

    String render(String stream, Transform transform, ImageStreamTagRef output) throws StrataException {
        List<String> lines = repoLines.forStream(stream, transform);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("io.k8s.display-name", output.imageStream() + "-" + output.tag());
        labels.put("io.k8s.description", "ART equivalent image " + groupLabel + "-" + stream + " - " + transform.id());
        Dockerfile dockerfile = templates.template(transform, stream).withLabels(labels);
        if (!lines.isEmpty()) {
            dockerfile = dockerfile.withLinesAtEnd(lines.toArray(String[]::new));
        }
        return dockerfile.content();
    }
}
