package io.strata.worker.assembly;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one COPY puts into its layer, as buildah's copier does it: a directory source's contents
 * (not the directory itself) go into the destination, which takes the source directory's mode; a
 * file goes to the destination path, or into it when it is a directory; symbolic links inside a
 * directory stay links, a source that is a link is followed. Every entry belongs to the --chown
 * owner (root without one); modes are the files' own unless --chmod says otherwise. Entries are
 * keyed by their path in the image (no leading slash), so they come out sorted and a later source
 * replaces an earlier one at the same path. Parent directories of the destination are entries only
 * where the planner found them missing in the image and the COPY has an owner (buildah makes them
 * 0755 with that owner); otherwise the base image's stay as they are and missing ones are made 0755
 * root when the layer is applied, as buildah makes them.
 */
final class LayerContent {
    private LayerContent() {}

    static SortedMap<String, LayerEntry> of(CopyInstruction copy) throws IOException {
        SortedMap<String, LayerEntry> entries = new TreeMap<>();
        String destination = relative(copy.destination());
        for (CopyInstruction.CreatedDirectory directory : copy.createdDirectories()) {
            entries.put(directory.path(), new LayerEntry.Directory(0755, directory.uid(), directory.gid()));
        }
        for (Path source : copy.sources()) {
            PosixFileAttributes attributes = Files.readAttributes(source, PosixFileAttributes.class);
            if (attributes.isDirectory()) {
                if (!destination.isEmpty()) {
                    entries.put(destination, new LayerEntry.Directory(mode(attributes.permissions()), copy.uid(), copy.gid()));
                }
                addChildren(source, destination, copy, entries);
            } else if (attributes.isRegularFile()) {
                String path = copy.intoDirectory() ? join(destination, source.getFileName().toString()) : destination;
                entries.put(path, file(source, attributes, copy));
            } else {
                throw new IOException(source + " is neither a regular file nor a directory");
            }
        }
        return entries;
    }

    private static void addChildren(Path directory, String into, CopyInstruction copy, SortedMap<String, LayerEntry> entries)
            throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String path = join(into, child.getFileName().toString());
                PosixFileAttributes attributes = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    entries.put(path, new LayerEntry.Symlink(Files.readSymbolicLink(child).toString(), copy.uid(), copy.gid()));
                } else if (attributes.isDirectory()) {
                    entries.put(path, new LayerEntry.Directory(mode(attributes.permissions()), copy.uid(), copy.gid()));
                    addChildren(child, path, copy, entries);
                } else if (attributes.isRegularFile()) {
                    entries.put(path, file(child, attributes, copy));
                } else {
                    throw new IOException(child + " is a device, socket or fifo, which a layer of Strata's does not hold");
                }
            }
        }
    }

    private static LayerEntry file(Path source, PosixFileAttributes attributes, CopyInstruction copy) {
        int mode = copy.chmod().orElse(mode(attributes.permissions()));
        return new LayerEntry.RegularFile(source, mode, copy.uid(), copy.gid(), attributes.size());
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static String relative(String absolute) {
        String path = absolute.replaceAll("/+", "/");
        path = path.startsWith("/") ? path.substring(1) : path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String join(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }
}
