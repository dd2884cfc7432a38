package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.server.api.ApiJson;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at /api/v1/openapi.json and the routes the server really serves
 * (Javalin's router, not a list kept beside it) name the same operations, and the document marks
 * exactly the open routes as needing no token.
 */
class OpenApiRoutesTest {
    @TempDir
    Path home;

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws Exception {
        try (ServedApi api = new ServedApi(home, "1s")) {
            JsonNode document = ApiJson.MAPPER.readTree(api.get(StrataServer.OPENAPI_PATH, null).body());
            Set<String> documented = new TreeSet<>();
            Set<String> documentedOpen = new TreeSet<>();
            document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                String route = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                documented.add(route);
                JsonNode security = operation.getValue().get("security");
                if (security != null && security.isEmpty()) {
                    documentedOpen.add(route);
                }
            }));
            // The web UI's pages are not the API: docs/ui.md and WebUiTest hold them.
            Set<String> served = new TreeSet<>(api.server.servedRoutes());
            served.removeIf(route -> api.server.ui().serves(route));
            assertThat(served).isEqualTo(documented);

            Set<String> open = new TreeSet<>();
            api.server.routes().stream().filter(r -> !r.authenticated())
                    .forEach(r -> open.add(r.method().name() + " " + r.path()));
            assertThat(open).isEqualTo(documentedOpen)
                    .containsExactlyInAnyOrder("GET /healthz", "GET /readyz", "GET /api/v1/openapi.json", "GET /metrics");
            // And the server keeps its word: every route the document says needs a token refuses a request without one.
            for (String route : documented) {
                if (!documentedOpen.contains(route)) {
                    String[] parts = route.split(" ");
                    String path = parts[1].replace("{id}", "20261122-004512-3f9a1c").replace("{name}", "dry-run");
                    var answer = parts[0].equals("GET") ? api.get(path, null) : api.post(path, null, "{}");
                    assertThat(answer.statusCode()).as(route).isEqualTo(401);
                }
            }
        }
    }
}
