package io.strata.worker;

import io.strata.testkit.BuildahFixture;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The worker integration tests that build on a busybox parent pushed to the class's open registry
 * (digest-pinned, as pin_base_images leaves it), in a vfs storage of their own, and may make an
 * overlay storage too.
 */
public abstract class AgainstBusyboxParent extends AgainstOpenRegistry {
    protected static BuildahFixture vfs;
    /** The parent, {@code host/base/busybox@sha256:...}. */
    protected static String parent;

    @BeforeAll
    static void makeBaseImage() {
        vfs = BuildahFixture.create();
        parent = registry.host() + "/base/busybox@" + vfs.makeBusyboxBaseImage("base/busybox:1", registry);
    }

    @AfterAll
    static void removeStorage() {
        vfs.close();
    }

    /** Removes an overlay storage a test made: its layer directories are read-only for their owner, so buildah does it. */
    protected static void removeOverlayStorage(Path storage) throws IOException, InterruptedException {
        new ProcessBuilder("buildah", "--root", storage.resolve("root").toString(), "--runroot",
                storage.resolve("run").toString(), "--storage-driver", "overlay", "rmi", "--all", "--force")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
