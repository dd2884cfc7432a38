-- The queue of submitted builds (docs/store.md, The queue). A row exists from submit until the build
-- finishes: PENDING rows wait for their engine (not before not_before: a retry's backoff), RUNNING
-- rows are claimed under a lease. fencing_token grows with every claim; only the claimer holding the
-- current token may end or requeue the build. attempts counts claims, up to max_attempts.
CREATE TABLE build_queue (
    build_id      VARCHAR(32)              NOT NULL PRIMARY KEY REFERENCES builds (id),
    engine        VARCHAR(32)              NOT NULL,
    platform      VARCHAR(64)              NOT NULL,
    priority      INTEGER                  NOT NULL,
    enqueued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts      INTEGER                  DEFAULT 0 NOT NULL,
    max_attempts  INTEGER                  NOT NULL,
    fencing_token BIGINT                   DEFAULT 0 NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX build_queue_order ON build_queue (priority, enqueued_at);

-- Which build a release was reserved for, so a retried build keeps its release. Empty for
-- reservations made before this column (and for explicit reservations without a build).
ALTER TABLE release_reservations ADD COLUMN build_id VARCHAR(32);
CREATE INDEX release_reservations_by_build ON release_reservations (build_id, component, version);

-- Who submitted the build (the request's user), for listing a user's own builds.
ALTER TABLE builds ADD COLUMN submitted_by VARCHAR(255);
CREATE INDEX builds_by_user ON builds (submitted_by, created_at);
