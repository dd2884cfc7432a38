package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.PostgresFixture;
import io.strata.testkit.PrometheusText;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape while the store is down: the service on a real PostgreSQL, which the test then stops.
 * /metrics still answers 200 with a valid exposition, {@code strata_store_up} 0 and no queue series,
 * and the store's failed transactions are counted.
 */
class MetricsStoreOutageIT {
    @TempDir
    Path home;

    @Test
    void aScrapeDuringAStoreOutageAnswersWithTheStoreHealthAtZero() throws Exception {
        PostgresFixture postgres = PostgresFixture.start();
        boolean stopped = false;
        try {
            String url = postgres.jdbcUrl() + (postgres.jdbcUrl().contains("?") ? "&" : "?") + "user=" + postgres.user()
                    + "&password=" + postgres.password() + "&connectTimeout=2&socketTimeout=5";
            try (ServedApi api = new ServedApi(home, Map.of("STRATA_DRY_RUN_DELAY", "10m", "STRATA_STORE_URL", url),
                    StrataServer.KEEP_ALIVE)) {
                String alice = api.token("alice", false);
                assertThat(api.post("/api/v1/builds", alice, ServerApiTest.REQUEST).statusCode()).isEqualTo(201);
                PrometheusText up = PrometheusText.parse(api.get("/metrics", null).body());
                assertThat(up.value("strata_store_up")).contains(1.0);

                postgres.stop();
                stopped = true;

                HttpResponse<String> down = api.get("/metrics", null);
                assertThat(down.statusCode()).isEqualTo(200);
                PrometheusText metrics = PrometheusText.parse(down.body());
                assertThat(metrics.value("strata_store_up")).contains(0.0);
                assertThat(metrics.samples()).noneMatch(s -> s.name().equals("strata_queue_length"));
                assertThat(metrics.value("strata_store_failures_total", Map.of("kind", "read"))).hasValueSatisfying(
                        failed -> assertThat(failed).isGreaterThanOrEqualTo(1));
                assertThat(down.body()).doesNotContain(postgres.password());
            }
        } finally {
            if (!stopped) {
                postgres.stop();
            }
        }
    }
}
