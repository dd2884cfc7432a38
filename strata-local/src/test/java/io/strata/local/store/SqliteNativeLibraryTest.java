package io.strata.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's library unpacked once into a directory of the user's own, reused after, replaced when it is not the
 * driver's, and never taken from a directory another user could write or a link.
 */
class SqliteNativeLibraryTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path temporary;

    @Test
    void theLibraryIsUnpackedOnceIntoADirectoryClosedToOthers() throws Exception {
        Path library = SqliteNativeLibrary.unpackedUnder(temporary, USER).orElseThrow();

        Path own = temporary.resolve("strata-sqlite-" + USER);
        assertThat(library).startsWith(own);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own))).isEqualTo("rwx------");
        assertThat(Files.readAllBytes(library)).isEqualTo(driversLibrary());
        try (var names = Files.list(library.getParent())) {
            assertThat(names.toList()).as("nothing written aside is left").containsExactly(library);
        }

        Files.setLastModifiedTime(library, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(SqliteNativeLibrary.unpackedUnder(temporary, USER)).contains(library);
        assertThat(Files.getLastModifiedTime(library).toInstant()).as("reused, not written again")
                .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void aLibraryThatIsNotTheDriversIsReplaced() throws Exception {
        Path library = SqliteNativeLibrary.unpackedUnder(temporary, USER).orElseThrow();
        Files.write(library, new byte[] {1, 2, 3});

        assertThat(SqliteNativeLibrary.unpackedUnder(temporary, USER)).contains(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(driversLibrary());
    }

    @Test
    void aDirectoryOthersCanWriteOrALinkIsNotUsed() throws Exception {
        Path open = Files.createDirectory(temporary.resolve("strata-sqlite-" + USER));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SqliteNativeLibrary.unpackedUnder(temporary, USER)).isEmpty();

        Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.delete(open);
        Files.createSymbolicLink(open, elsewhere);
        assertThat(SqliteNativeLibrary.unpackedUnder(temporary, USER)).isEmpty();
        try (var names = Files.list(elsewhere)) {
            assertThat(names.toList()).as("nothing written through the link").isEmpty();
        }
    }

    private static byte[] driversLibrary() throws Exception {
        String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/"
                + System.mapLibraryName("sqlitejdbc");
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            return Optional.ofNullable(in).orElseThrow().readAllBytes();
        }
    }
}
