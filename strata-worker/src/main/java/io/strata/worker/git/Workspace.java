package io.strata.worker.git;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * A build's private directory under a workspaces root (source checkout, build context, scratch
 * files). Closing it deletes everything inside, including read-only files and directories that
 * git objects and some build tools leave behind, and never follows symbolic links out of it.
 */
public final class Workspace implements AutoCloseable {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path dir;

    private Workspace(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code root/name}; the directory must not exist yet, so two builds never share one.
     *
     * @param name a build id or similar: letters, digits, '.', '_' and '-' only
     */
    public static Workspace create(Path root, String name) throws IOException {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("workspace name \"" + name
                    + "\" may only hold letters, digits, '.', '_' and '-', and must not start with '.'");
        }
        Files.createDirectories(root);
        return new Workspace(Files.createDirectory(root.resolve(name)));
    }

    /**
     * The workspace at {@code dir}, made by an earlier process (one that died before removing it);
     * closing it removes it. The directory's name must be a safe workspace name.
     */
    public static Workspace existing(Path dir) {
        Path name = dir.getFileName();
        if (name == null || !SAFE_NAME.matcher(name.toString()).matches()) {
            throw new IllegalArgumentException("not a workspace directory: " + dir);
        }
        return new Workspace(dir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Deletes the workspace and everything in it; nothing happens when it is already gone. Waits
     * first for the spare copies of checked-out trees still being made in the background
     * ({@link SpareTree}): once a build's workspace is gone, nothing of it writes any more.
     */
    @Override
    public void close() throws IOException {
        SpareTree.awaitRefills();
        deleteRecursively(dir);
    }

    /** Deletes {@code root} and everything in it, read-only directories too; nothing happens when it is gone. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // A read-only directory's entries cannot be removed until it is writable again.
                dir.toFile().setWritable(true, true);
                dir.toFile().setExecutable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
