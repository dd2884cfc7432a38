package io.strata.kube.streams;

import io.strata.core.StrataException;
import io.strata.kube.streams.wire.BuildConfigObject;
import io.strata.kube.streams.wire.DaemonSetObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Generates the CI BuildConfigs of a group's streams (the counterpart of doozer's
 * {@code images:streams gen-buildconfigs}). Pure: it reads only its arguments and the template
 * loader, and either returns every object or throws for the first stream that cannot be rendered.
 */
public final class StreamsGenerator {
    /** Appended to the group label and to image stream tags in live-test mode. */
    static final String LIVE_TEST_SUFFIX = ".test";

    public GeneratedObjects generate(GroupConfig group, StreamsConfig streams, TemplateLoader templates,
            StreamsOptions options) throws StrataException {
        String groupName = required(group, "name", group.name());
        String major = required(group, "vars.MAJOR", group.var("MAJOR").orElse(null));
        String minor = required(group, "vars.MINOR", group.var("MINOR").orElse(null));
        String suffix = options.liveTestMode() ? LIVE_TEST_SUFFIX : "";
        String groupLabel = groupName + suffix;

        var renderer = new CiDockerfileRenderer(
                new TransformTemplates(templates), new RepoLines(group, major, minor), groupLabel);
        List<String> names = options.allStreamsRequested() ? streams.names() : options.streams();
        List<RenderedStream> rendered = new ArrayList<>();
        for (String name : names) {
            StreamDefinition definition = streams.find(name)
                    .orElseThrow(() -> StreamsErrors.streamNotFound(name, streams.source(), streams.names()));
            Optional<RenderedStream> stream = render(name, definition, streams, renderer, suffix);
            stream.ifPresent(rendered::add);
        }

        var buildConfigs = new BuildConfigFactory(groupLabel);
        List<BuildConfigObject> objects = rendered.stream().map(buildConfigs::create).toList();
        // A DaemonSet built from some of the streams would stop keeping the others alive.
        Optional<DaemonSetObject> daemonSet = options.allStreamsRequested() && !rendered.isEmpty()
                ? Optional.of(KeepAliveDaemonSetFactory.create(groupName, groupLabel, rendered))
                : Optional.empty();
        return new GeneratedObjects(objects, daemonSet);
    }

    /** Renders one stream; empty when it has no transform (it is mirrored as is, no build needed). */
    private static Optional<RenderedStream> render(String name, StreamDefinition definition, StreamsConfig streams,
            CiDockerfileRenderer renderer, String suffix) throws StrataException {
        if (definition.transformId().isEmpty()) {
            return Optional.empty();
        }
        String transformId = definition.transform();
        Transform transform = Transform.byId(transformId)
                .orElseThrow(() -> StreamsErrors.unknownTransform(name, transformId, streams.source()));
        if (isBlank(definition.upstreamImageBase()) || isBlank(definition.upstreamImage())) {
            throw StreamsErrors.missingUpstreamImages(name, streams.source());
        }
        ImageStreamTagRef input = parse(name, "upstream_image_base", definition.upstreamImageBase()).withTagSuffix(suffix);
        ImageStreamTagRef output = parse(name, "upstream_image", definition.upstreamImage()).withTagSuffix(suffix);
        requireValidName(name, "BuildConfig name", BuildConfigFactory.name(output), KubernetesNames.SUBDOMAIN);
        requireValidName(name, "keep-alive container name", KeepAliveDaemonSetFactory.containerName(output),
                KubernetesNames.LABEL);
        String dockerfile = renderer.render(name, transform, output);
        return Optional.of(new RenderedStream(name, transform, input, output, dockerfile));
    }

    private static ImageStreamTagRef parse(String stream, String field, String pullspec) throws StrataException {
        try {
            return ImageStreamTagRef.parse(pullspec);
        } catch (IllegalArgumentException e) {
            throw StreamsErrors.invalidPullspec(stream, field, pullspec, e.getMessage());
        }
    }

    private static void requireValidName(String stream, String what, String name, KubernetesNames rule)
            throws StrataException {
        if (!rule.accepts(name)) {
            throw StreamsErrors.invalidDerivedName(stream, what, name, rule.rule());
        }
    }

    private static String required(GroupConfig group, String field, String value) throws StrataException {
        if (isBlank(value)) {
            throw StreamsErrors.missingGroupField(field, group.source());
        }
        return value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
