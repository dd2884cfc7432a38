package io.strata.kube.streams;

import io.strata.core.StrataException;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The parsed Dockerfile template of each transform, loaded, parsed and given the edits common to all
 * its streams once per run, however many streams share it (a group has a handful of transforms and up
 * to thousands of streams; each Dockerfile edit re-evaluates the file, so fewer edits per stream is
 * most of the generator's speed).
 */
final class TransformTemplates {
    private final TemplateLoader loader;
    private final Map<Transform, Dockerfile> parsed = new EnumMap<>(Transform.class);

    TransformTemplates(TemplateLoader loader) {
        this.loader = loader;
    }

    /**
     * The template for a transform with {@code ENV OPENSHIFT_CI=true} set, which lets upstream builds
     * tell they run in CI on ART-equivalent images; {@code stream} names the stream in any error.
     */
    Dockerfile template(Transform transform, String stream) throws StrataException {
        Dockerfile template = parsed.get(transform);
        if (template == null) {
            String location = loader.location(transform);
            String text = loader.load(transform)
                    .orElseThrow(() -> StreamsErrors.templateMissing(stream, transform, location));
            try {
                Dockerfile source = Dockerfile.parse(text);
                // The parser keeps what only the build refuses (unknown instruction, no FROM): refuse it here.
                source.requireBuildable();
                template = source.withEnv("OPENSHIFT_CI", "true");
            } catch (DockerfileException e) {
                throw StreamsErrors.templateInvalid(stream, transform, location + ":" + e.line(), e.getMessage(),
                        e.hint(), e);
            }
            parsed.put(transform, template);
        }
        return template;
    }
}
