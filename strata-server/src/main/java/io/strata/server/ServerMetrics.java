package io.strata.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code /metrics} in the Prometheus text format: requests by method, route (the route's pattern,
 * never the concrete path, so the label set stays small) and status, builds submitted, and the
 * event streams open now. A
 * registry of its own per server, so two servers in one JVM (tests) do not share counts.
 */
final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name("strata_http_requests_total")
            .help("HTTP requests answered, by method, route and status")
            .labelNames("method", "route", "status")
            .register(registry);
    private final Counter submitted = Counter.builder()
            .name("strata_builds_submitted_total")
            .help("builds submitted through the API")
            .register(registry);

    private final Gauge streams = Gauge.builder()
            .name("strata_event_streams_open")
            .help("Server-Sent Event streams being followed now")
            .register(registry);

    void streamOpened() {
        streams.inc();
    }

    void streamClosed() {
        streams.dec();
    }

    void request(String method, String route, int status) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        if ("POST".equals(method) && BuildRoutes.BUILDS.equals(route) && status == 201) {
            submitted.inc();
        }
    }

    String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(),
                io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toByteArray();
    }
}
