package io.strata.local.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Where the SQLite driver finds its native library. Left to itself, the driver copies the library into the
 * temporary directory under a new name in every JVM, with a lock file, and deletes both at a normal exit: a JVM
 * that is killed leaves both, and a copy whose lock file is left is kept for ever. 1,755 copies (3,510 files) had
 * piled up in one machine's {@code /tmp} from test and benchmark JVMs started with {@code java} directly and
 * killed; the driver also lists the whole temporary directory at every start looking for stale copies (50-60 ms
 * there). The {@code strata} launcher points the driver at a library it unpacked once ({@code -Dorg.sqlite.lib.path});
 * every other JVM of Strata gets the same here, before its first connection: the library unpacked once per driver
 * version and platform into a directory of this user's own under the temporary directory, and used from there.
 *
 * <p>That directory is made {@code 0700} and used only when it is a real directory (not a link) owned by this
 * user with no access for others, so no other user of the machine can put a library there for Strata to load;
 * otherwise, and on any failure, the driver does as it always did. A library already there is used when its size
 * is the driver's; a new one is written whole or not at all ({@code AtomicFiles}), so two JVMs unpacking at once
 * never load a half-written file.
 */
final class SqliteNativeLibrary {
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";
    static final String TMPDIR = "org.sqlite.tmpdir";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static boolean prepared;

    private SqliteNativeLibrary() {}

    /** Points the driver at the library unpacked once, unless told where it is already; once per process. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(LIB_PATH) != null) {
            return; // the launcher's, or the user's own choice
        }
        try {
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            unpackedUnder(temporary, System.getProperty("user.name", "user")).ifPresent(library -> {
                System.setProperty(LIB_PATH, library.getParent().toString());
                System.setProperty(LIB_NAME, library.getFileName().toString());
                // The driver lists its temporary directory for stale copies at every start: this one holds one file.
                if (System.getProperty(TMPDIR) == null) {
                    System.setProperty(TMPDIR, library.getParent().toString());
                }
            });
        } catch (IOException | RuntimeException e) {
            // The driver's own way: a copy in the temporary directory.
        }
    }

    /**
     * The driver's library for this platform unpacked under {@code temporary}, in {@code strata-sqlite-USER/VERSION-PLATFORM/};
     * empty when the driver has none for this platform or the user's directory there is not safely this user's.
     */
    static Optional<Path> unpackedUnder(Path temporary, String user) throws IOException {
        String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + folder + "/" + name;
        java.net.URL packed = org.sqlite.JDBC.class.getResource(resource);
        if (packed == null) {
            return Optional.empty();
        }
        // The entry's size from the jar's directory: nothing inflated to learn it.
        long size = packed.openConnection().getContentLengthLong();
        Optional<Path> own = ownDirectory(temporary.resolve("strata-sqlite-" + user.replaceAll("[^A-Za-z0-9._-]", "_")));
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Path versionDir = own.get().resolve(org.sqlite.SQLiteJDBCLoader.getVersion() + "-" + folder.replace('/', '-'));
        Files.createDirectories(versionDir);
        Path library = versionDir.resolve(name);
        if (Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) && Files.size(library) == size) {
            return Optional.of(library);
        }
        try (InputStream in = packed.openStream()) {
            io.strata.core.io.AtomicFiles.write(library, in.readAllBytes());
        }
        return Optional.of(library);
    }

    /** {@code dir}, made {@code 0700} when missing; empty unless it is a real directory of this user's own, closed to others. */
    private static Optional<Path> ownDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier process: checked below like a new one
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // no POSIX permissions here: the driver's own way
        }
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // user.name is the JVM's own look-up of its effective user.
        boolean mine = attributes.owner().getName().equals(System.getProperty("user.name"));
        return attributes.isDirectory() && !attributes.isSymbolicLink() && mine && attributes.permissions().equals(OWNER_ONLY)
                ? Optional.of(dir) : Optional.empty();
    }
}
