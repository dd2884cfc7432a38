package io.strata.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small executable {@code /bin/sh} scripts a test hands to a process as a command (a fake image's entrypoint). */
public final class ShellScripts {
    private ShellScripts() {}

    /** {@code dir/name}, holding {@code body} after a {@code #!/bin/sh} line, executable by everyone. */
    public static Path write(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
