package io.strata.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.core.build.ImageOutput;
import io.strata.core.build.RpmComponent;
import io.strata.core.request.BuildRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The Koji content-generator metadata document (metadata version 0) for a container image build:
 * {@code build}, {@code buildroots} and {@code output}, with the image's extra metadata under
 * {@code output[].extra.docker} the way atomic-reactor wrote it. The image is described, not
 * uploaded as a tarball: it lives in the registry, so {@code filename}, {@code filesize} and
 * {@code checksum} describe its manifest (as atomic-reactor does for registry-only outputs).
 * Wire format only: built from domain values, validated by {@link KojiMetadataValidator}.
 */
public final class KojiMetadata {
    public static final int METADATA_VERSION = 0;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private KojiMetadata() {}

    /**
     * Everything the document is made of.
     *
     * @param buildId       Strata's build id, kept in the extra metadata
     * @param commitId      the git commit built
     * @param imageId       buildah's image (config) id
     * @param manifestMediaType media type of the pushed manifest
     * @param tools         name -> version of the tools in the buildroot (buildah, strata)
     * @param hostOs        the builder's operating system
     * @param network       the network policy and allow-list the RUN steps had (buildah_build)
     * @param origin        for a build that built nothing (build avoidance): the earlier image it put to use
     */
    public record Input(String buildId, BuildRequest request, String commitId, ImageIdentity identity,
            ImageOutput output, String imageId, String manifestMediaType, Instant startedAt, Instant finishedAt,
            Map<String, String> tools, String hostOs, String strataVersion,
            Optional<io.strata.worker.network.NetworkGrant> network, Optional<Origin> origin) {

        /** A built image's document: it has no origin but its own build. */
        public Input(String buildId, BuildRequest request, String commitId, ImageIdentity identity,
                ImageOutput output, String imageId, String manifestMediaType, Instant startedAt, Instant finishedAt,
                Map<String, String> tools, String hostOs, String strataVersion,
                Optional<io.strata.worker.network.NetworkGrant> network) {
            this(buildId, request, commitId, identity, output, imageId, manifestMediaType, startedAt, finishedAt, tools,
                    hostOs, strataVersion, network, Optional.empty());
        }
    }

    /**
     * Where a reused or config-only build's image came from (docs/builds.md, "Build avoidance"):
     * {@code build.extra.strata_reused_from} in the document, so Koji (and whoever reads the record)
     * sees that no builder ran and which image, of which build, the layers are.
     *
     * @param kind    {@link #REUSED} (the earlier manifest under new tags) or {@link #CONFIG_ONLY}
     *                (a new config and manifest over the earlier layers)
     * @param buildId the build that built the layers
     * @param image   the earlier image, {@code repository@digest}
     */
    public record Origin(String kind, String buildId, String image) {
        public static final String REUSED = "reused";
        public static final String CONFIG_ONLY = "config_only";
    }

    public static String toJson(Input in) {
        ObjectNode root = JSON.createObjectNode();
        root.put("metadata_version", METADATA_VERSION);
        root.set("build", build(in));
        ArrayNode buildroots = root.putArray("buildroots");
        buildroots.add(buildroot(in));
        root.putArray("output").add(imageOutput(in));
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Koji metadata could not be serialised", e);
        }
    }

    private static ObjectNode build(Input in) {
        ObjectNode build = JSON.createObjectNode();
        build.put("name", in.identity().component());
        build.put("version", in.identity().version());
        build.put("release", in.identity().release());
        build.put("source", AddLabelsStep.vcsUrl(in.request().gitUri()) + "#" + in.commitId());
        build.put("start_time", in.startedAt().getEpochSecond());
        build.put("end_time", in.finishedAt().getEpochSecond());
        Optional.ofNullable(in.request().user()).ifPresent(user -> build.put("owner", user));
        ObjectNode extra = build.putObject("extra");
        ObjectNode image = extra.putObject("image");
        image.put("autorebuild", false);
        image.put("isolated", in.request().isolated());
        image.put("scratch", in.request().scratch());
        image.putArray("parent_image_builds");
        ObjectNode parents = image.putObject("parent_images_digests");
        in.output().parentImages().forEach(parents::put);
        in.output().parentImages().keySet().stream().reduce((first, second) -> second)
                .ifPresent(base -> image.put("base_image", base));
        ObjectNode index = image.putObject("index");
        index.putArray("pull").add(in.output().pullspec());
        image.put("media_types", in.manifestMediaType());
        extra.put("strata_build_id", in.buildId());
        in.network().ifPresent(grant -> {
            ObjectNode network = extra.putObject("strata_network");
            network.put("policy", grant.policy().wireName());
            var allowed = network.putArray("allowed");
            grant.allowed().forEach(endpoint -> allowed.addObject().put("host", endpoint.host())
                    .put("address", endpoint.address()).put("port", endpoint.port()).put("source", endpoint.source()));
        });
        in.origin().ifPresent(origin -> extra.putObject("strata_reused_from").put("kind", origin.kind())
                .put("build_id", origin.buildId()).put("image", origin.image()));
        Optional.ofNullable(in.request().kojiTaskId()).ifPresent(task -> extra.put("container_koji_task_id", task));
        Optional.ofNullable(in.request().user()).ifPresent(user -> extra.put("submitter", user));
        return build;
    }

    private static ObjectNode buildroot(Input in) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", 1);
        ObjectNode host = root.putObject("host");
        host.put("os", in.hostOs());
        host.put("arch", in.output().platform());
        ObjectNode generator = root.putObject("content_generator");
        generator.put("name", "strata");
        generator.put("version", in.strataVersion());
        ObjectNode container = root.putObject("container");
        container.put("type", "none");
        container.put("arch", in.output().platform());
        ArrayNode tools = root.putArray("tools");
        in.tools().forEach((name, version) -> tools.addObject().put("name", name).put("version", version));
        root.putArray("components");
        root.putObject("extra").putObject("osbs").put("build_id", in.buildId()).put("builder_image_id", "");
        return root;
    }

    private static ObjectNode imageOutput(Input in) {
        ImageOutput image = in.output();
        ObjectNode output = JSON.createObjectNode();
        output.put("buildroot_id", 1);
        String hex = image.digest().substring(image.digest().indexOf(':') + 1);
        output.put("filename", "docker-image-" + hex.substring(0, 12) + "." + image.platform() + ".tar.gz");
        output.put("filesize", image.sizeBytes());
        output.put("arch", image.platform());
        output.put("checksum", hex);
        output.put("checksum_type", "sha256");
        output.put("type", "docker-image");
        ArrayNode components = output.putArray("components");
        for (RpmComponent rpm : image.components()) {
            ObjectNode c = components.addObject();
            c.put("type", "rpm");
            c.put("name", rpm.name());
            c.put("version", rpm.version());
            c.put("release", rpm.release());
            if (rpm.epoch() == null || rpm.epoch().isBlank() || "(none)".equals(rpm.epoch())) {
                c.putNull("epoch");
            } else {
                c.put("epoch", Integer.parseInt(rpm.epoch()));
            }
            c.put("arch", rpm.arch());
            c.put("sigmd5", rpm.sigmd5());
            c.putNull("signature");
        }
        ObjectNode extra = output.putObject("extra");
        extra.putObject("image").put("arch", image.platform());
        ObjectNode docker = extra.putObject("docker");
        docker.put("id", in.imageId());
        ArrayNode repositories = docker.putArray("repositories");
        image.tags().forEach(tag -> repositories.add(image.repository() + ":" + tag));
        repositories.add(image.pullspec());
        ArrayNode tags = docker.putArray("tags");
        image.tags().forEach(tags::add);
        ArrayNode layers = docker.putArray("layer_sizes");
        image.layerDigests().forEach(layer -> layers.addObject().put("digest", layer));
        docker.putObject("digests").put(in.manifestMediaType(), image.digest());
        ObjectNode config = docker.putObject("config");
        ObjectNode labels = config.putObject("config").putObject("Labels");
        image.labels().forEach(labels::put);
        return output;
    }
}
