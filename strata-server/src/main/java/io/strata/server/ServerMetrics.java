package io.strata.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.core.StrataException;
import io.strata.core.build.BuildState;
import io.strata.core.build.Failure;
import io.strata.core.store.QueueEntry;
import io.strata.local.store.QueueCount;
import io.strata.local.store.QueueDrain;
import io.strata.local.store.Transactions;
import io.strata.local.worker.QueueScheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * {@code /metrics} in the Prometheus text format, through the Prometheus Java client: requests by
 * method, route (the route's pattern, never the concrete path, so the label set stays small) and
 * status; builds submitted and refused; event streams open; the queue by engine and platform
 * (waiting and running, read from the store at each scrape, so the same on every member of a
 * fleet); drained engines and platforms; build durations by outcome and failures by reason code
 * (of the builds this process ran); store latency per transaction; and {@code strata_store_up},
 * 0 when the store did not answer the scrape (which still answers 200). A registry of its own per
 * server, so two servers in one JVM (tests) do not share counts.
 */
final class ServerMetrics implements QueueScheduler.BuildEnds, Transactions.LatencyObserver {
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
    private final Counter refused = Counter.builder()
            .name("strata_builds_refused_total")
            .help("submissions refused with 429 because strata_queue_max_pending builds were waiting")
            .register(registry);
    private final Gauge streams = Gauge.builder()
            .name("strata_event_streams_open")
            .help("Server-Sent Event streams being followed now")
            .register(registry);
    private final Gauge queued = Gauge.builder()
            .name("strata_queue_length")
            .help("builds waiting PENDING in the queue, by engine and platform (the store's view, fleet-wide)")
            .labelNames("engine", "platform")
            .register(registry);
    private final Gauge running = Gauge.builder()
            .name("strata_builds_running")
            .help("queued builds RUNNING now, by engine and platform (the store's view, fleet-wide)")
            .labelNames("engine", "platform")
            .register(registry);
    private final Gauge runningHere = Gauge.builder()
            .name("strata_builds_running_here")
            .help("builds this server's scheduler runs now")
            .register(registry);
    private final Gauge drained = Gauge.builder()
            .name("strata_drained")
            .help("1 for each engine or platform out of rotation (strata engines drain)")
            .labelNames("kind", "name")
            .register(registry);
    private final Histogram durations = Histogram.builder()
            .name("strata_build_duration_seconds")
            .help("how long the builds this server ran took, from claim to end, by outcome")
            .labelNames("outcome")
            .classicOnly()
            .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800)
            .register(registry);
    private final Counter failures = Counter.builder()
            .name("strata_build_failures_total")
            .help("builds this server ran that ended FAILED, by reason code")
            .labelNames("reason")
            .register(registry);
    private final Histogram storeLatency = Histogram.builder()
            .name("strata_store_latency_seconds")
            .help("time of one store transaction, waiting for a connection included, by kind (read or write)")
            .labelNames("kind")
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
            .register(registry);
    private final Counter storeFailures = Counter.builder()
            .name("strata_store_failures_total")
            .help("store transactions the database did not answer (connection lost, refused), by kind")
            .labelNames("kind")
            .register(registry);
    private final Gauge storeUp = Gauge.builder()
            .name("strata_store_up")
            .help("1 when the store answered this scrape, 0 during a store outage")
            .register(registry);

    ServerMetrics() {
        storeUp.set(1);
        for (BuildState outcome : new BuildState[] {BuildState.COMPLETE, BuildState.FAILED, BuildState.CANCELLED}) {
            durations.initLabelValues(outcome.name());
        }
        storeFailures.initLabelValues("read");
        storeFailures.initLabelValues("write");
    }

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

    void refusedSubmission() {
        refused.inc();
    }

    @Override
    public void ended(QueueEntry entry, BuildState state, Optional<Failure> failure, Duration ran) {
        durations.labelValues(state.name()).observe(ran.toNanos() / 1e9);
        if (state == BuildState.FAILED) {
            failures.labelValues(failure.map(Failure::reason).orElse("UNKNOWN")).inc();
        }
    }

    @Override
    public void observed(boolean write, long nanos, boolean failed) {
        String kind = write ? "write" : "read";
        storeLatency.labelValues(kind).observe(nanos / 1e9);
        if (failed) {
            storeFailures.labelValues(kind).inc();
        }
    }

    String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /**
     * The exposition, with the queue read from the store now. A store that does not answer leaves
     * the queue gauges empty and {@code strata_store_up} at 0: the scrape itself still succeeds.
     */
    synchronized byte[] scrape(QueueView queue, IntSupplier here) throws IOException {
        runningHere.set(here.getAsInt());
        try {
            var counts = queue.counts();
            var drains = queue.drains();
            queued.clear();
            running.clear();
            drained.clear();
            for (QueueCount count : counts) {
                queued.labelValues(count.engine(), count.platform()).set(count.pending());
                running.labelValues(count.engine(), count.platform()).set(count.running());
            }
            for (QueueDrain drain : drains) {
                drained.labelValues(drain.scope(), drain.name()).set(1);
            }
            storeUp.set(1);
        } catch (StrataException | RuntimeException outage) {
            queued.clear();
            running.clear();
            drained.clear();
            storeUp.set(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(),
                io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toByteArray();
    }
}
