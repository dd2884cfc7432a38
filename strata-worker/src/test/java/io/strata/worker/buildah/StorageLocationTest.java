package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageLocationTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsRootAndDriverAreTakenAsTheyAre() {
        var options = new BuildahOptions(dir.resolve("root"), dir.resolve("run"), "overlay", null, true);

        assertThat(StorageLocation.of(options, Map.of(), false))
                .contains(new StorageLocation(dir.resolve("root"), "overlay"));
        assertThat(new StorageLocation(dir, "overlay").layerDirectory("abc")).isEqualTo(dir.resolve("overlay/abc/diff"));
        assertThat(new StorageLocation(dir, "vfs").layerDirectory("abc")).isEqualTo(dir.resolve("vfs/dir/abc"));
    }

    @Test
    void aDriverWhoseLayersAreNotPlainDirectoriesIsNotRead() {
        var options = new BuildahOptions(dir, dir.resolve("run"), "btrfs", null, true);

        assertThat(StorageLocation.of(options, Map.of(), true)).isEmpty();
    }

    @Test
    void asRootTheConfigurationNamedByTheEnvironmentGivesWhatTheOptionsLeaveOut() throws Exception {
        Path conf = Files.writeString(dir.resolve("storage.conf"), String.join("\n",
                "[storage]", "driver = \"overlay\"  # the fast one", "runroot = \"/run/x\"",
                "graphroot = '" + dir.resolve("graph") + "'", "", "[storage.options.overlay]", "driver = \"vfs\"",
                "graphroot = \"/elsewhere\""));

        assertThat(StorageLocation.of(BuildahOptions.systemDefault(), Map.of("CONTAINERS_STORAGE_CONF", conf.toString()), true))
                .contains(new StorageLocation(dir.resolve("graph"), "overlay"));
        // Not root: rootless storage is elsewhere, and only what the options name is read.
        assertThat(StorageLocation.of(BuildahOptions.systemDefault(), Map.of("CONTAINERS_STORAGE_CONF", conf.toString()), false))
                .isEmpty();
    }

    @Test
    void aDriverNamedNowhereIsTheOneWhoseImagesAloneAreUnderTheRoot() throws Exception {
        var options = new BuildahOptions(dir, dir.resolve("run"), null, null, true);
        Path none = Files.writeString(dir.resolve("empty.conf"), "[storage]\n");
        Map<String, String> environment = Map.of("CONTAINERS_STORAGE_CONF", none.toString());

        assertThat(StorageLocation.of(options, environment, true)).as("no images yet").isEmpty();
        Files.createDirectories(dir.resolve("vfs-images"));
        assertThat(StorageLocation.of(options, environment, true)).contains(new StorageLocation(dir, "vfs"));
        Files.createDirectories(dir.resolve("overlay-images"));
        assertThat(StorageLocation.of(options, environment, true)).as("two drivers: which one buildah uses is unknown").isEmpty();
    }

    @Test
    void onlyTheStorageTableIsRead() {
        assertThat(StorageLocation.settings(List.of("driver = \"vfs\"", "[storage]", "  driver=\"overlay\"",
                "[storage.options]", "graphroot = \"/x\""))).containsExactlyEntriesOf(Map.of("driver", "overlay"));
    }
}
