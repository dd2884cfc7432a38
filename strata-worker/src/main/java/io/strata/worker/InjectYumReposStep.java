package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.io.UrlCredentials;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * inject_yum_repos: fetches the request's .repo files before the build starts (so a bad URL fails
 * fast, before any layer is built) into a directory that buildah_build mounts at
 * /etc/yum.repos.d for RUN instructions only. A mount is never part of a layer, so the repo files
 * cannot stay in the final image, not even in a lower layer as atomic-reactor's ADD + RUN rm left them.
 *
 * <p>Credentials in a repo URL are used and never shown: the user info
 * ({@code https://user:token@host/x.repo}) is sent as HTTP Basic auth, not in the URL; a query such
 * as {@code ?token=...} is kept for the request; every log line and failure message shows the URL
 * through {@link UrlCredentials#redact}. A redirect keeps the Basic credentials only on the same
 * host and port. The fetched files (a baseurl inside may carry credentials too) are readable by
 * their owner only, live outside the build context and go with the workspace.
 */
final class InjectYumReposStep implements Step<WorkerState> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<HttpClient> clients;

    /**
     * {@code clients} makes the HTTP client of one run, only when a repo URL needs one, closed when the
     * step ends: an idle client keeps a selector thread waiting in native code, and the JVM waits up
     * to 300 ms at exit for every such thread (each `strata build` paid it, yum repos or not).
     */
    InjectYumReposStep(Supplier<HttpClient> clients) {
        this.clients = clients;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        var urls = state.request().yumRepoUrls();
        if (urls.isEmpty()) {
            context.log("no yum repositories requested");
            return state;
        }
        Path dir = state.workspace().resolve("yum.repos.d");
        java.util.List<String> names = fileNames(urls);
        try (RunClient http = new RunClient(clients)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            for (int i = 0; i < urls.size(); i++) {
                String url = urls.get(i);
                URI uri = parse(url);
                String name = names.get(i);
                Path file = dir.resolve(name);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(file, fetch(uri, http));
                context.log("fetched " + UrlCredentials.redact(url) + " as " + name);
            }
        } catch (IOException e) {
            throw new StrataException("YUM_REPO_UNREACHABLE", "cannot store fetched repo files in " + dir + ": " + e.getMessage(),
                    "check free space and permissions under STRATA_HOME", e);
        }
        return state.withRepoDir(dir);
    }

    static URI parse(String url) throws StrataException {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null) {
                throw unreachable(url, "not a URL (no scheme)", null);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw unreachable(url, "not a URL: " + e.getReason(), e);
        }
    }

    private static byte[] fetch(URI uri, RunClient http) throws StrataException, InterruptedException {
        String url = uri.toString();
        try {
            if ("file".equals(uri.getScheme())) {
                try (InputStream in = uri.toURL().openStream()) {
                    return in.readAllBytes();
                }
            }
            Optional<String> basic = UrlCredentials.userInfo(url).map(user -> "Basic " + Base64.getEncoder()
                    .encodeToString((user.user() + ":" + user.password()).getBytes(StandardCharsets.UTF_8)));
            URI target = withoutUserInfo(uri);
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET();
                if (sameOrigin(target, uri)) {
                    basic.ifPresent(value -> request.header("Authorization", value));
                }
                var response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                Optional<String> location = response.headers().firstValue("Location");
                if (response.statusCode() / 100 == 3 && location.isPresent()) {
                    target = target.resolve(location.get());
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw unreachable(url, "HTTP " + response.statusCode()
                            + (response.statusCode() == 401 || response.statusCode() == 403
                                    ? (basic.isPresent() ? " (the credentials in the URL were refused)" : " (the server wants credentials)")
                                    : ""), null);
                }
                return response.body();
            }
            throw unreachable(url, "more than " + MAX_REDIRECTS + " redirects", null);
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(url, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private static final int MAX_REDIRECTS = 5;

    /** The client of one run of the step: made on first use, closed with the run. */
    private static final class RunClient implements AutoCloseable {
        private final Supplier<HttpClient> factory;
        private HttpClient client;

        RunClient(Supplier<HttpClient> factory) {
            this.factory = factory;
        }

        HttpClient get() {
            if (client == null) {
                client = factory.get();
            }
            return client;
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    /** The URI to request: user info goes as a header, never in the request line or a proxy's log. */
    static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String raw = uri.toString();
        return URI.create(raw.replaceFirst("//" + java.util.regex.Pattern.quote(uri.getRawUserInfo()) + "@", "//"));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    private static StrataException unreachable(String url, String why, Exception cause) {
        return new StrataException("YUM_REPO_UNREACHABLE",
                "cannot fetch yum repo file " + UrlCredentials.redact(url) + ": " + UrlCredentials.redact(why),
                "check the URL in yum_repourls; it must serve a .repo file", cause);
    }

    /** The name of each repo URL's file in /etc/yum.repos.d, in request order; the provenance names them so too. */
    static java.util.List<String> fileNames(java.util.List<String> urls) throws StrataException {
        Set<String> taken = new HashSet<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String url : urls) {
            names.add(uniqueName(fileName(parse(url)), taken));
        }
        return names;
    }

    static String fileName(URI uri) {
        String path = uri.getPath();
        String base = path == null || path.isEmpty() ? "repo" : path.substring(path.lastIndexOf('/') + 1);
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty()) {
            base = "repo";
        }
        return base.endsWith(".repo") ? base : base + ".repo";
    }

    private static String uniqueName(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = name.substring(0, name.length() - ".repo".length()) + "-" + i + ".repo";
        }
        return candidate;
    }
}
