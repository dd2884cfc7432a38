package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BaseTreeTest {
    private static byte[] layer(boolean gzip, Entries entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var out = gzip ? new GZIPOutputStream(bytes) : bytes;
        try (TarWriter writer = new TarWriter(out, 0)) {
            entries.write(writer);
        }
        out.close();
        return bytes.toByteArray();
    }

    interface Entries {
        void write(TarWriter writer) throws Exception;
    }

    @Test
    void layersApplyInOrderWithWhiteoutsAndOpaqueDirectories() throws Exception {
        BaseTree tree = BaseTree.empty();
        tree.apply(new ByteArrayInputStream(layer(true, w -> {
            w.directory("./usr", 0755, 0, 0);
            w.directory("usr/bin", 0755, 0, 0);
            w.symlink("bin", "usr/bin", 0, 0);
            w.file("usr/bin/tool", 0755, 0, 0, 1, new ByteArrayInputStream(new byte[] {1}));
            w.directory("opt/old/sub", 0755, 0, 0);
            w.directory("etc", 0755, 0, 0);
            w.file("etc/" + "p".repeat(150), 0644, 0, 0, 0, new ByteArrayInputStream(new byte[0]));
        })));
        tree.apply(new ByteArrayInputStream(layer(false, w -> {
            w.file("usr/bin/.wh.tool", 0644, 0, 0, 0, new ByteArrayInputStream(new byte[0]));
            w.file("opt/.wh..wh..opq", 0644, 0, 0, 0, new ByteArrayInputStream(new byte[0]));
            w.directory("opt/new", 0755, 0, 0);
        })));
        assertThat(tree.kind("usr")).isEqualTo(BaseTree.Kind.DIRECTORY);
        assertThat(tree.kind("bin")).isEqualTo(BaseTree.Kind.SYMLINK);
        assertThat(tree.kind("usr/bin/tool")).isNull();
        assertThat(tree.kind("opt/old/sub")).isNull();
        assertThat(tree.kind("opt/new")).isEqualTo(BaseTree.Kind.DIRECTORY);
        assertThat(tree.kind("etc/" + "p".repeat(150))).isEqualTo(BaseTree.Kind.OTHER);
    }
}
