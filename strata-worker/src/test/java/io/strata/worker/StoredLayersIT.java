package io.strata.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.registry.ImageReference;
import io.strata.registry.Referrers;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import io.strata.worker.supply.AddedFile;
import io.strata.worker.supply.RecentLayers;
import io.strata.worker.supply.StoredLayers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's own layers read from buildah's storage (overlay and vfs) list exactly what the same
 * layers list when read back from the registry after the push: the files (content, links, a file
 * the build deletes from its parent) and the paths the package probe looks at.
 */
class StoredLayersIT extends AgainstBusyboxParent {
    private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    @TempDir
    Path context;

    @Test
    void vfsStorageWithALayerPerInstructionListsWhatTheRegistryLists() throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
        assertStoredMatchesPushed(buildah, true, "stored/vfs:1");
    }

    @Test
    void overlayStorageWithOneLayerListsWhatTheRegistryLists(@TempDir Path storage) throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(storage.resolve("root"), storage.resolve("run"), "overlay", null, false));
        try {
            assertStoredMatchesPushed(buildah, false, "stored/overlay:1");
        } finally {
            removeOverlayStorage(storage);
        }
    }

    @Test
    void aScratchImageIsAllItsOwnAndAParentNotInStorageGivesNothing() throws Exception {
        Buildah buildah = new Buildah(new BuildahOptions(vfs.storageRoot(), vfs.runRoot(), vfs.storageDriver(), null, false));
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
        String imageId = buildah.bud(BudSpec.builder(context).build(), line -> { });
        StoredLayers stored = new StoredLayers(buildah.storage().orElseThrow());

        assertThat(stored.read(imageId, List.of())).hasValueSatisfying(read -> {
            assertThat(read.files()).containsExactly(new AddedFile("/a.txt", HELLO_SHA256, 6));
            assertThat(read.paths()).containsExactly("a.txt");
        });
        assertThat(stored.read(imageId, List.of(registry.host() + "/base/other@sha256:" + "0".repeat(64))))
                .as("a parent storage does not hold: the registry is read instead").isEmpty();
        assertThat(stored.read("f".repeat(64), List.of())).as("an image storage does not hold").isEmpty();
    }

    private void assertStoredMatchesPushed(Buildah buildah, boolean layerPerInstruction, String repositoryAndTag)
            throws Exception {
        Files.writeString(context.resolve("a.txt"), "hello\n");
        Files.createDirectories(context.resolve("b"));
        Files.writeString(context.resolve("b/x"), "x\n");
        Files.createLink(context.resolve("b/y"), context.resolve("b/x"));
        Files.createSymbolicLink(context.resolve("b/z"), Path.of("x"));
        Files.writeString(context.resolve("Dockerfile"), String.join("\n", "FROM " + parent,
                "COPY a.txt /srv/a.txt", "COPY b /srv/b",
                "RUN rm /bin/ls && echo made > /srv/made && ln /srv/made /srv/made-too && rm /srv/a.txt"
                        + " && mkdir -p /var/lib/dpkg && touch /var/lib/dpkg/status",
                "RUN echo again > /srv/made-again", "") );
        String imageId = buildah.bud(BudSpec.builder(context).baseImage(parent).layers(layerPerInstruction).build(), line -> { });
        ImageReference repository = ImageReference.parse(registry.reference(repositoryAndTag));
        String digest = buildah.push(imageId, repository.toString());
        ImageReference pushed = repository.pinnedTo(digest);
        List<AddedFile> fromRegistry = AddedLayers.files(client, new Referrers(client), new RecentLayers(), pushed,
                client.manifest(pushed).layerDigests(), List.of(parent));

        StoredLayers.Read read = new StoredLayers(buildah.storage().orElseThrow()).read(imageId, List.of(parent)).orElseThrow();

        assertThat(read.files()).isEqualTo(fromRegistry);
        assertThat(read.files()).extracting(AddedFile::path)
                .contains("/srv/b/x", "/srv/b/y", "/srv/made", "/srv/made-too", "/srv/made-again", "/var/lib/dpkg/status")
                .doesNotContain("/srv/a.txt", "/srv/b/z", "/bin/busybox");
        assertThat(read.paths()).contains("bin/.wh.ls", "var/lib/dpkg/status", "srv/b/z").doesNotContain("bin/busybox");
    }
}
