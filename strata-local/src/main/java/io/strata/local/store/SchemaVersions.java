package io.strata.local.store;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a store's schema is already at the newest migration this build of Strata carries, so an
 * open can skip Flyway: loading and running it (classpath scan, validation of every applied
 * migration) was most of a store open, paid by every command. Current means the history table
 * records every migration up to the newest bundled one as applied, and none failed; anything else
 * (a new store, a newer migration, a failed one, a table Strata cannot read) goes through Flyway
 * as before, which also validates checksums. A released migration never changes, so a checksum
 * check on every open guards nothing a version check does not.
 */
final class SchemaVersions {
    static final String LOCATION = "db/migration";
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__[^/]*\\.sql");

    private SchemaVersions() {}

    /** The newest migration version on the class path, if any can be listed. */
    static OptionalInt newestBundled(ClassLoader loader) {
        int newest = -1;
        try {
            Enumeration<URL> roots = loader.getResources(LOCATION);
            while (roots.hasMoreElements()) {
                newest = Math.max(newest, newestIn(roots.nextElement()));
            }
        } catch (IOException | URISyntaxException e) {
            return OptionalInt.empty();
        }
        return newest < 0 ? OptionalInt.empty() : OptionalInt.of(newest);
    }

    private static int newestIn(URL root) throws IOException, URISyntaxException {
        int newest = -1;
        if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(true);
            JarFile jar = connection.getJarFile();
            String prefix = connection.getEntryName() + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(prefix)) {
                    newest = Math.max(newest, version(name.substring(prefix.length())));
                }
            }
        } else if (root.getProtocol().equals("file")) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(root.toURI()))) {
                for (Path file : files) {
                    newest = Math.max(newest, version(file.getFileName().toString()));
                }
            }
        }
        return newest;
    }

    private static int version(String fileName) {
        Matcher matcher = MIGRATION.matcher(fileName);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** True when every version from 1 to {@code newest} is applied successfully and nothing newer or failed is recorded. */
    static boolean isCurrent(Connection connection, int newest) {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL")) {
            java.util.BitSet applied = new java.util.BitSet();
            while (rows.next()) {
                String version = rows.getString(1);
                if (!rows.getBoolean(2) || !version.matches("\\d+")) {
                    return false;
                }
                int number = Integer.parseInt(version);
                if (number > newest) {
                    return false;
                }
                applied.set(number);
            }
            return applied.cardinality() == newest && applied.nextClearBit(1) == newest + 1;
        } catch (SQLException e) {
            try {
                if (!connection.getAutoCommit()) {
                    // PostgreSQL refuses every later statement of a transaction with a failed one.
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // the pool validates a connection before it lends it again
            }
            return false;
        }
    }
}
