package io.strata.cli.daemon;

import io.strata.cli.StrataEnvironment;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a user's build daemons listen, and how a build starts one for the builds after it.
 * <p>A daemon serves one environment in one working directory: the launcher names its socket after a hash of
 * the environment's variables (those that change with every shell left out), the working directory, the JDK
 * and its version (scripts/lib/build-daemon.sh), so a build handed to it runs exactly as it would have in a
 * process of its own, and a shell with other credentials or another storage configuration gets a daemon of
 * its own. The sockets live in {@code $XDG_RUNTIME_DIR/strata/daemons} (the login's private runtime
 * directory), else in {@code $HOME/.cache/strata/daemons}; the directory must be the user's alone.
 */
public final class BuildDaemons {
    /** The system property the launcher sets, for a local build, to the socket a daemon for it would use. */
    public static final String SOCKET_PROPERTY = "strata.daemon.socket";

    private BuildDaemons() {}

    /** The directory of this environment's daemon sockets (the launcher's rule, held equal by a test). */
    public static Path directory(StrataEnvironment environment) {
        return environment.variable("XDG_RUNTIME_DIR").map(Path::of)
                .orElseGet(() -> environment.userHome().resolve(".cache"))
                .resolve("strata").resolve("daemons");
    }

    /** Every socket in {@code directory}, in name order. */
    public static List<Path> sockets(Path directory) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.sock")) {
            entries.forEach(found::add);
        }
        found.sort(null);
        return found;
    }

    /** Creates {@code directory} for this user alone, or refuses one others can reach or that is not the user's. */
    static void requirePrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory.getParent());
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made by another daemon starting at the same time
            }
        }
        Object owner = Files.getAttribute(directory, "unix:uid");
        Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (!owner.equals(me) || permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(directory + " is not this user's alone (owner uid " + owner + ", "
                    + PosixFilePermissions.toString(permissions) + "): a build daemon's socket there would let others"
                    + " run builds as this user; remove it or make it private (chmod 700)");
        }
    }

    /**
     * After a local build the launcher ran ({@value #SOCKET_PROPERTY} set): {@link #startForNextBuild starts a daemon}
     * for the builds after it. A daemon that cannot start is noted on {@code err}; builds then run in processes of
     * their own, as before.
     */
    public static void startIfAsked(StrataEnvironment environment, java.io.PrintWriter err) {
        String socket = System.getProperty(SOCKET_PROPERTY, "");
        Optional<String> launcher = environment.variable("STRATA_LAUNCHER");
        if (socket.isBlank() || launcher.isEmpty()) {
            return;
        }
        Path jar;
        try {
            jar = Path.of(BuildDaemons.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return; // not run from a jar: no launcher started this command
        }
        startForNextBuild(Path.of(socket), Path.of(launcher.get()), jar).ifPresent(why -> {
            err.println("strata: note: no build daemon was started (" + why + "); builds keep running in processes"
                    + " of their own");
            err.flush();
        });
    }

    /**
     * Starts a daemon on {@code socket} for the builds after this one, unless one answers there already for this
     * build of Strata (a daemon started before the jar was rebuilt is retired and replaced: it finishes a build it
     * runs, takes no new one, and ends). It runs in a
     * session of its own (a later Ctrl-C in this terminal is not for it), its output goes to a log beside the
     * socket, and this command does not wait for it. Nothing is lost when it cannot start: builds run here.
     */
    public static Optional<String> startForNextBuild(Path socket, Path launcher, Path jar) {
        try {
            if (Files.exists(socket)) {
                FileTime jarTime = Files.getLastModifiedTime(jar);
                if (!jarTime.toInstant().isAfter(Files.getLastModifiedTime(socket).toInstant()) && answers(socket)) {
                    return Optional.empty(); // a current daemon is there (it was busy with another command)
                }
                // Made by an older jar: it takes no more builds and ends once the one it runs, if any, has.
                ask(socket, DaemonWire.RETIRE);
                if (answers(socket)) {
                    // A daemon older than the retire request answered it as unknown and still listens: its socket's
                    // name is taken from it (it idles out unseen; it removes only a socket that is still its own).
                    Files.deleteIfExists(socket);
                }
            }
            Path setsid = Path.of("/usr/bin/setsid");
            if (!Files.isExecutable(setsid)) {
                return Optional.of("no " + setsid + " to start a build daemon in a session of its own");
            }
            requirePrivateDirectory(socket.getParent());
            File log = logOf(socket).toFile();
            new ProcessBuilder(setsid.toString(), launcher.toString(), "daemon", "run", "--socket", socket.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectErrorStream(true)
                    .start();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The log of the daemon on {@code socket}: KEY.log beside KEY.sock (the launcher's DAEMON_LOST message names it too). */
    public static Path logOf(Path socket) {
        return socket.resolveSibling(socket.getFileName().toString().replaceFirst("\\.sock$", "") + ".log");
    }

    /** Whether a daemon answers on {@code socket}. */
    static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException nobody) {
            return false;
        }
    }

    /**
     * Removes {@code socket} when nobody listens on it (a daemon killed without its clean-up left it); a daemon that
     * takes the connection keeps it, even when one exchange with it failed.
     */
    static void removeIfStale(Path socket) throws IOException {
        if (!answers(socket)) {
            Files.deleteIfExists(socket);
        }
    }

    /** Sends {@code request} (status, stop or retire) and returns the daemon's answer; empty when none answers. */
    static Optional<String> ask(Path socket, byte request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DaemonWire wire = new DaemonWire(channel);
            wire.writeRequest(request);
            DaemonWire.Frame frame = wire.readFrame();
            return Optional.of(new String(frame.payload(), StandardCharsets.UTF_8));
        } catch (IOException nobody) {
            return Optional.empty();
        }
    }
}
