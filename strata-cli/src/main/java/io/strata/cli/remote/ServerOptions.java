package io.strata.cli.remote;

import io.strata.cli.StrataEnvironment;
import io.strata.core.StrataException;
import io.strata.core.config.ConfigKey;
import io.strata.core.config.Configuration;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --server URL} and {@code --server-token TOKEN} of the build verbs: with a server (flag,
 * else {@code $STRATA_SERVER}, else {@code strata_server_url}) the verb goes to that build service
 * instead of this machine's store. The token: flag, else {@code $STRATA_SERVER_TOKEN}, else the
 * file {@code strata_server_token_file}, which others must not be able to read (0600). Not
 * {@code $STRATA_TOKEN}: that is osbs.conf's {@code token}.
 */
public final class ServerOptions {
    public static final String SERVER_VARIABLE = "STRATA_SERVER";
    public static final String TOKEN_VARIABLE = "STRATA_SERVER_TOKEN";
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    @Option(names = "--server", paramLabel = "URL",
            description = "Send this command to the build service at URL (default: $STRATA_SERVER, else strata_server_url; none: this machine).")
    String server;

    @Option(names = "--server-token", paramLabel = "TOKEN",
            description = "API token for --server (default: $STRATA_SERVER_TOKEN, else the file strata_server_token_file).")
    String serverToken;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The build service to talk to, or empty when none is configured (the verb runs locally). */
    public Optional<RemoteBuildService> connect(Configuration config) throws StrataException {
        StrataEnvironment environment = StrataEnvironment.of(command);
        Optional<String> url = Optional.ofNullable(server).filter(s -> !s.isBlank())
                .or(() -> environment.variable(SERVER_VARIABLE))
                .or(() -> config.raw(ConfigKey.STRATA_SERVER_URL.key()).filter(s -> !s.isBlank()));
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI base = base(url.get().strip());
        return Optional.of(new RemoteBuildService(base, token(environment, config, base)));
    }

    private String token(StrataEnvironment environment, Configuration config, URI base) throws StrataException {
        Optional<String> given = Optional.ofNullable(serverToken).filter(s -> !s.isBlank())
                .or(() -> environment.variable(TOKEN_VARIABLE));
        if (given.isPresent()) {
            return given.get().strip();
        }
        Optional<String> file = config.raw(ConfigKey.STRATA_SERVER_TOKEN_FILE.key()).filter(s -> !s.isBlank());
        if (file.isPresent()) {
            return tokenFile(Path.of(file.get().strip()));
        }
        throw new StrataException(RemoteReasons.SERVER_TOKEN_MISSING,
                "the build service at " + base + " needs an API token, and none is given",
                "pass --server-token TOKEN, set $" + TOKEN_VARIABLE + ", or name a 0600 file with"
                        + " strata_server_token_file; an admin makes one with `strata tokens create --user NAME`");
    }

    static URI base(String url) throws StrataException {
        try {
            URI uri = new URI(url.endsWith("/") ? url : url + "/");
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host and without user info");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new StrataException(RemoteReasons.SERVER_URL_INVALID, "'" + io.strata.core.io.UrlCredentials.redact(url)
                    + "' is not the URL of a build service", "e.g. --server http://127.0.0.1:8240 (the token goes in --server-token)");
        }
    }

    static String tokenFile(Path file) throws StrataException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new StrataException(RemoteReasons.SERVER_TOKEN_FILE_INVALID,
                        "strata_server_token_file " + file + " is not a regular file", "name the file holding the API token");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw new StrataException(RemoteReasons.SERVER_TOKEN_FILE_INVALID,
                        "strata_server_token_file " + file + " may be read or written by others",
                        "chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new StrataException(RemoteReasons.SERVER_TOKEN_FILE_INVALID,
                        "strata_server_token_file " + file + " is empty", "write the token from `strata tokens create` into it");
            }
            return token;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StrataException(RemoteReasons.SERVER_TOKEN_FILE_INVALID,
                    "strata_server_token_file " + file + " cannot be read: " + e.getMessage(), "check the path and its permissions");
        }
    }
}
