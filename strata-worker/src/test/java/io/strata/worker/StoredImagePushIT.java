package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.registry.Descriptor;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.worker.assembly.StoredImagePush;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image pushed by Strata straight from buildah's storage (overlay and vfs) is the image
 * {@code buildah push} pushes: the same config to the byte, the same base layers, own layers whose
 * uncompressed tars are buildah's to the byte (a deleted file's whiteout, a hard link, a symbolic
 * link among them), the same annotations; and buildah pulls it back. What it cannot be sure of it
 * leaves to buildah. Labels Strata sets are written into the config it pushes, and nothing else
 * in the config changes.
 */
class StoredImagePushIT extends AgainstBusyboxParent {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path context;

    @Test
    void vfsStorageWithALayerPerInstructionPushesWhatBuildahPushes() throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
        assertPushedAsBuildahPushes(buildah, List.of("--root", vfs.storageRoot().toString(), "--runroot",
                vfs.runRoot().toString(), "--storage-driver", vfs.storageDriver()), true, "fromstorage/vfs");
    }

    @Test
    void overlayStoragePushesWhatBuildahPushes(@TempDir Path storage) throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(storage.resolve("root"), storage.resolve("run"), "overlay", null, false));
        try {
            assertPushedAsBuildahPushes(buildah, List.of("--root", storage.resolve("root").toString(), "--runroot",
                    storage.resolve("run").toString(), "--storage-driver", "overlay"), false, "fromstorage/overlay");
        } finally {
            removeOverlayStorage(storage);
        }
    }

    @Test
    void whatItCannotBeSureOfItLeavesToBuildah() throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
        String imageId = buildah.bud(BudSpec.builder(context).build(), line -> { });
        ImageReference repository = ImageReference.parse(registry.reference("fromstorage/doubt"));
        StoredImagePush push = new StoredImagePush(client);
        List<String> log = new ArrayList<>();

        assertThat(push.push(buildah.storage().orElseThrow(), "f".repeat(64), List.of(), Platform.parse("linux/amd64"),
                Map.of(), repository, "missing", log::add)).isEmpty();
        assertThat(push.push(buildah.storage().orElseThrow(), imageId,
                List.of(registry.host() + "/base/other@sha256:" + "0".repeat(64)), Platform.parse("linux/amd64"),
                Map.of(), repository, "unknown-parent", log::add)).isEmpty();
        assertThat(log).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("pushing with buildah: "));
        assertThat(log.get(1)).contains("is not in storage by its digest");

        Optional<StoredImagePush.Written> scratch = push.push(buildah.storage().orElseThrow(), imageId, List.of(),
                Platform.parse("linux/amd64"), Map.of(), repository, "scratch", log::add);
        assertThat(scratch).as("FROM scratch: every layer is the build's own").isPresent();
        assertThat(client.manifest(repository.withTag("scratch")).digest()).isEqualTo(scratch.get().digest());
    }

    @Test
    void labelsToSetAreWrittenIntoThePushedConfigAndNothingElseInIt() throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.writeString(context.resolve("Dockerfile"), String.join("\n", "FROM " + parent, "COPY a.txt /a.txt",
                "LABEL purpose=test keep=me", ""));
        String imageId = buildah.bud(BudSpec.builder(context).baseImage(parent).timestamp(1_700_000_000L).build(), line -> { });
        ImageReference repository = ImageReference.parse(registry.reference("fromstorage/labels"));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("purpose", "overridden");
        labels.put("release", "7");
        labels.put("vcs-url", "https://example.com/$HOME/\"quoted\" repo");
        List<String> log = new ArrayList<>();

        StoredImagePush.Written pushed = new StoredImagePush(client).push(buildah.storage().orElseThrow(), imageId,
                List.of(parent), Platform.parse("linux/amd64"), labels, repository, "labelled", log::add).orElseThrow();

        assertThat(log).noneMatch(line -> line.startsWith("pushing with buildah"));
        assertThat(pushed.manifest().config().digest()).as("a config of its own").isNotEqualTo("sha256:" + imageId);
        io.strata.worker.buildah.StorageRecords records = io.strata.worker.buildah.StorageRecords.read(buildah.storage().orElseThrow());
        JsonNode built = JSON.readTree(records.data(records.image(imageId).orElseThrow(), "sha256:" + imageId));
        JsonNode ours = JSON.readTree(client.blobs().blob(repository, pushed.manifest().config().digest()));
        assertThat(ours.path("config").path("Labels").path("purpose").asText()).isEqualTo("overridden");
        assertThat(ours.path("config").path("Labels").path("keep").asText()).isEqualTo("me");
        assertThat(ours.path("config").path("Labels").path("release").asText()).isEqualTo("7");
        assertThat(ours.path("config").path("Labels").path("vcs-url").asText()).isEqualTo(labels.get("vcs-url"));
        JsonNode lastEntry = ours.path("history").get(ours.path("history").size() - 1);
        assertThat(lastEntry.path("empty_layer").asBoolean()).isTrue();
        assertThat(lastEntry.path("created").asText()).isEqualTo(built.path("created").asText()).startsWith("2023-11-14T22:13:20");
        assertThat(lastEntry.path("created_by").asText()).startsWith("/bin/sh -c #(nop) LABEL ").contains("\"release\"=\"7\"");
        // Everything but the labels and the one history entry is buildah's.
        com.fasterxml.jackson.databind.node.ObjectNode expected = built.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("config")).remove("Labels");
        com.fasterxml.jackson.databind.node.ObjectNode actual = ours.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) actual.path("config")).remove("Labels");
        ((com.fasterxml.jackson.databind.node.ArrayNode) actual.path("history")).remove(actual.path("history").size() - 1);
        assertThat(actual).isEqualTo(expected);

        assertThat(new StoredImagePush(client).push(buildah.storage().orElseThrow(), imageId, List.of(parent),
                Platform.parse("linux/amd64"), labels, repository, "again", log::add).orElseThrow().manifest().config())
                .as("the same labels give the same config").isEqualTo(pushed.manifest().config());
        List<String> pull = new ArrayList<>(List.of("buildah", "--root", vfs.storageRoot().toString(), "--runroot",
                vfs.runRoot().toString(), "--storage-driver", vfs.storageDriver(), "pull", "--tls-verify=false",
                repository.pinnedTo(pushed.digest()).toString()));
        Process pulling = new ProcessBuilder(pull).redirectErrorStream(true).start();
        String output = new String(pulling.getInputStream().readAllBytes());
        assertThat(pulling.waitFor()).as("buildah pulls it back: " + output).isZero();
        assertThat(buildah.inspect(output.strip().lines().toList().getLast()).labels())
                .containsEntry("release", "7").containsEntry("purpose", "overridden").containsEntry("keep", "me");
    }

    private void assertPushedAsBuildahPushes(Buildah buildah, List<String> storage, boolean layerPerInstruction,
            String repositoryName)
            throws Exception {
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.createDirectories(context.resolve("b"));
        Files.writeString(context.resolve("b/x"), "x\n".repeat(1000));
        Files.createLink(context.resolve("b/y"), context.resolve("b/x"));
        Files.createSymbolicLink(context.resolve("b/z"), Path.of("x"));
        Files.writeString(context.resolve("Dockerfile"), String.join("\n", "FROM " + parent,
                "COPY a.txt /srv/a.txt", "COPY b /srv/b",
                "RUN rm /bin/ls && echo made > /srv/made && ln /srv/made /srv/made-too && rm /srv/a.txt",
                "LABEL purpose=test", "CMD [\"/bin/sh\"]", ""));
        String imageId = buildah.bud(BudSpec.builder(context).baseImage(parent).layers(layerPerInstruction).build(), line -> { });
        ImageReference repository = ImageReference.parse(registry.reference(repositoryName));
        ImageReference byBuildah = repository.pinnedTo(buildah.push(imageId, repository.withTag("buildah").toString()));
        List<String> log = new ArrayList<>();

        StoredImagePush.Written pushed = new StoredImagePush(client).push(buildah.storage().orElseThrow(), imageId,
                List.of(parent), Platform.parse("linux/amd64"), Map.of(), repository, "strata", log::add).orElseThrow();

        assertThat(log).noneMatch(line -> line.startsWith("pushing with buildah"));
        ImageManifest theirs = client.manifest(byBuildah);
        ImageManifest ours = client.manifest(repository.withTag("strata"));
        assertThat(ours).isEqualTo(pushed.manifest());
        assertThat(ours.digest()).isEqualTo(pushed.digest());
        assertThat(ours.config()).as("buildah's config, to the byte").isEqualTo(theirs.config());
        assertThat(ours.config().digest()).isEqualTo("sha256:" + imageId);
        assertThat(ours.layers()).hasSameSizeAs(theirs.layers()).hasSizeGreaterThan(1);
        ImageManifest base = client.manifest(ImageReference.parse(parent));
        assertThat(ours.layers().subList(0, base.layers().size())).as("the base's layers, mounted")
                .extracting(Descriptor::digest).isEqualTo(base.layerDigests());
        JsonNode config = JSON.readTree(client.blobs().blob(repository, ours.config().digest()));
        for (int i = 0; i < ours.layers().size(); i++) {
            String ourTar = uncompressedDigest(repository, ours.layers().get(i));
            assertThat(ourTar).isEqualTo(uncompressedDigest(repository, theirs.layers().get(i)))
                    .isEqualTo(config.path("rootfs").path("diff_ids").get(i).asText());
        }
        assertThat(annotations(repository, ours.digest())).isEqualTo(annotations(repository, theirs.digest())).isNotEmpty();
        List<String> pull = new ArrayList<>(List.of("buildah"));
        pull.addAll(storage);
        pull.addAll(List.of("pull", "--tls-verify=false", repository.pinnedTo(ours.digest()).toString()));
        Process pulling = new ProcessBuilder(pull).redirectErrorStream(true).start();
        String output = new String(pulling.getInputStream().readAllBytes());
        assertThat(pulling.waitFor()).as("buildah pulls it back: " + output).isZero();
        assertThat(output.strip().lines().toList().getLast()).isEqualTo(imageId);
    }

    private static String uncompressedDigest(ImageReference repository, Descriptor layer) throws Exception {
        byte[] blob = client.blobs().blob(repository, layer.digest());
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(blob)).readAllBytes();
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar));
    }

    private static JsonNode annotations(ImageReference repository, String digest) throws Exception {
        return JSON.readTree(client.blobs().manifest(repository, digest).bytes()).path("annotations");
    }
}
