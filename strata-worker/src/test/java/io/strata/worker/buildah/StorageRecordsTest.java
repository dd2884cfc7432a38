package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containers-storage's image and layer lists as Strata reads them: the fields it needs, whatever else a record
 * holds, and one parse shared while the files are unchanged.
 */
class StorageRecordsTest {
    private static final String BASE = "a".repeat(64);
    private static final String OWN = "b".repeat(64);

    @TempDir
    Path root;

    private StorageLocation storage() {
        return new StorageLocation(root, "overlay");
    }

    @Test
    void readsTheImagesAndTheirLayerChainsWhateverElseTheRecordsHold() throws Exception {
        writeImages("""
                [{"id":"1111","names":["localhost/app:1"],"layer":"%s","metadata":"{\\"x\\":[1,2]}",
                  "big-data-names":["manifest-sha256:from-big-data","manifest","sha256:1111"],
                  "big-data-sizes":{"manifest":503},"digest":"sha256:top","digests":["sha256:listed",null],
                  "created":"2026-12-04T22:39:13Z","flags":{"a":{"b":[{}]}}},
                 {"id":"2222","layer":null,"digest":null}]
                """.formatted(OWN));
        writeLayers("layers.json", """
                [{"id":"%s","parent":"","created":"2026-12-04T22:39:13Z","diff-digest":"sha256:d1","diff-size":6144,
                  "compressed-diff-digest":"sha256:c1","uidset":[0],"gidset":[0]},
                 {"id":"%s","parent":"%s","diff-digest":"sha256:d2","diff-size":2048,"names":null}]
                """.formatted(BASE, OWN, BASE));
        writeLayers("volatile-layers.json", """
                [{"id":"cccc","parent":"%s"}]
                """.formatted(OWN));

        StorageRecords records = StorageRecords.read(storage());

        StorageRecords.Image image = records.image("sha256:1111").orElseThrow();
        assertThat(image.topLayer()).contains(OWN);
        assertThat(image.digests()).containsExactlyInAnyOrder("sha256:top", "sha256:listed", "sha256:from-big-data");
        assertThat(records.imageWithDigest("sha256:from-big-data")).contains(image);
        assertThat(records.image("2222").orElseThrow()).isEqualTo(new StorageRecords.Image("2222", Optional.empty(), Set.of()));
        assertThat(records.chain(OWN)).contains(List.of(new StorageRecords.Layer(OWN, BASE, "sha256:d2", 2048),
                new StorageRecords.Layer(BASE, "", "sha256:d1", 6144)));
        assertThat(records.chain("cccc")).hasValueSatisfying(chain -> assertThat(chain).hasSize(3)
                .first().isEqualTo(new StorageRecords.Layer("cccc", OWN, "", -1)));
        assertThat(records.chain("dddd")).as("a layer not in the lists").isEmpty();
    }

    @Test
    void oneReadIsSharedUntilAFileIsReplacedAsContainersStorageReplacesIt() throws Exception {
        writeImages("[{\"id\":\"1111\",\"layer\":\"%s\"}]".formatted(BASE));
        writeLayers("layers.json", "[{\"id\":\"%s\",\"diff-digest\":\"sha256:d1\",\"diff-size\":1}]".formatted(BASE));

        StorageRecords first = StorageRecords.read(storage());
        StorageRecords again = StorageRecords.read(storage());
        // The same size, written aside and renamed over the old file, as containers-storage writes it.
        replace(storage().layersDirectory().resolve("layers.json"),
                "[{\"id\":\"%s\",\"diff-digest\":\"sha256:d9\",\"diff-size\":1}]".formatted(BASE));
        StorageRecords afterTheLayers = StorageRecords.read(storage());
        replace(storage().imagesFile(), "[{\"id\":\"9999\",\"layer\":\"%s\"}]".formatted(BASE));
        StorageRecords afterTheImages = StorageRecords.read(storage());

        assertThat(again).isSameAs(first);
        assertThat(afterTheLayers).isNotSameAs(first);
        assertThat(afterTheLayers.chain(BASE).orElseThrow().getFirst().diffDigest()).isEqualTo("sha256:d9");
        assertThat(afterTheImages.image("9999")).isPresent();
        assertThat(afterTheImages.image("1111")).isEmpty();
    }

    @Test
    void aVolatileListThatAppearsIsRead() throws Exception {
        writeImages("[]");
        writeLayers("layers.json", "[]");
        assertThat(StorageRecords.read(storage()).chain("cccc")).isEmpty();

        writeLayers("volatile-layers.json", "[{\"id\":\"cccc\"}]");

        assertThat(StorageRecords.read(storage()).chain("cccc")).isPresent();
    }

    @Test
    void aListThatIsNotOneIsAnIoFailureNamingTheFile() throws Exception {
        writeImages("{\"id\":\"1111\"}");
        writeLayers("layers.json", "[]");

        assertThatThrownBy(() -> StorageRecords.read(storage())).isInstanceOf(IOException.class)
                .hasMessageContaining(storage().imagesFile().toString());
    }

    private void writeImages(String json) throws IOException {
        Files.createDirectories(storage().imagesFile().getParent());
        Files.writeString(storage().imagesFile(), json);
    }

    private void writeLayers(String name, String json) throws IOException {
        Files.createDirectories(storage().layersDirectory());
        Files.writeString(storage().layersDirectory().resolve(name), json);
    }

    private static void replace(Path file, String json) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(aside, json);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
