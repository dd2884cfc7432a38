package io.strata.local.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * inject_yum_repos: fetches the request's .repo files before the build starts (so a bad URL fails
 * fast, before any layer is built) into a directory that buildah_build mounts at
 * /etc/yum.repos.d for RUN instructions only. A mount is never part of a layer, so the repo files
 * cannot stay in the final image, not even in a lower layer as atomic-reactor's ADD + RUN rm left them.
 */
final class InjectYumReposStep implements Step<WorkerState> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;

    InjectYumReposStep(HttpClient http) {
        this.http = http;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        var urls = state.request().yumRepoUrls();
        if (urls.isEmpty()) {
            context.log("no yum repositories requested");
            return state;
        }
        Path dir = state.workspace().resolve("yum.repos.d");
        Set<String> names = new HashSet<>();
        try {
            Files.createDirectories(dir);
            for (String url : urls) {
                URI uri = parse(url);
                String name = uniqueName(fileName(uri), names);
                Files.write(dir.resolve(name), fetch(uri));
                context.log("fetched " + url + " as " + name);
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

    private byte[] fetch(URI uri) throws StrataException, InterruptedException {
        String url = uri.toString();
        try {
            if ("file".equals(uri.getScheme())) {
                try (InputStream in = uri.toURL().openStream()) {
                    return in.readAllBytes();
                }
            }
            var response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw unreachable(url, "HTTP " + response.statusCode(), null);
            }
            return response.body();
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(url, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private static StrataException unreachable(String url, String why, Exception cause) {
        return new StrataException("YUM_REPO_UNREACHABLE", "cannot fetch yum repo file " + url + ": " + why,
                "check the URL in yum_repourls; it must serve a .repo file", cause);
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
