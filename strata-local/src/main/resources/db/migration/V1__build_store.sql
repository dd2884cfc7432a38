-- The build store. Portable SQL: the same script runs on H2 (embedded) and PostgreSQL (fleet).
-- Timestamps are TIMESTAMP WITH TIME ZONE, written in UTC with microsecond precision.

-- One row per build. request_json, config_json and plan_json are the documents the build ran with,
-- kept whole; component, git_ref, state and the times beside them are copies for listing and filtering.
-- log_end is the sequence number of the build's last log line: neither database answers
-- MAX(seq) for one build from the index alone, and appending must not slow down as a log grows.
CREATE TABLE builds (
    id              VARCHAR(32)              NOT NULL PRIMARY KEY,
    component       VARCHAR(255),
    git_ref         VARCHAR(1024),
    state           VARCHAR(16)              NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    request_json    TEXT                     NOT NULL,
    config_json     TEXT                     NOT NULL,
    plan_json       TEXT                     NOT NULL,
    commit_id       VARCHAR(64),
    failure_reason  VARCHAR(64),
    failure_message TEXT,
    koji_metadata   TEXT,
    log_end         BIGINT                   DEFAULT 0 NOT NULL
);
CREATE INDEX builds_newest_first ON builds (created_at, id);
CREATE INDEX builds_by_component ON builds (component, created_at);

-- Every state the build entered, in order; seq 1 is NEW at creation.
CREATE TABLE build_transitions (
    build_id    VARCHAR(32)              NOT NULL REFERENCES builds (id),
    seq         INTEGER                  NOT NULL,
    state       VARCHAR(16)              NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (build_id, seq)
);

-- One row per plan step that ran (or was skipped), in the order they were recorded.
CREATE TABLE build_steps (
    build_id    VARCHAR(32)              NOT NULL REFERENCES builds (id),
    seq         INTEGER                  NOT NULL,
    step        VARCHAR(255)             NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome     VARCHAR(32)              NOT NULL,
    PRIMARY KEY (build_id, seq)
);

-- Each image the build pushed (one per platform); pullspec is repository@digest, copied for listings.
CREATE TABLE build_outputs (
    build_id    VARCHAR(32)   NOT NULL REFERENCES builds (id),
    seq         INTEGER       NOT NULL,
    platform    VARCHAR(64)   NOT NULL,
    pullspec    VARCHAR(2048) NOT NULL,
    output_json TEXT          NOT NULL,
    PRIMARY KEY (build_id, seq)
);

-- The build's log. seq continues without gaps from 1, so a follower asks for "lines after N".
CREATE TABLE build_logs (
    build_id  VARCHAR(32)              NOT NULL REFERENCES builds (id),
    seq       BIGINT                   NOT NULL,
    logged_at TIMESTAMP WITH TIME ZONE NOT NULL,
    step      VARCHAR(255)             NOT NULL,
    line      TEXT                     NOT NULL,
    PRIMARY KEY (build_id, seq)
);

-- Release labels taken per component and version. The primary key is what makes reservations
-- race-free: two builds inserting the same label cannot both commit. release_number is the label
-- as a number when it is a plain positive integer (computed releases are), else NULL.
CREATE TABLE release_reservations (
    component      VARCHAR(255)             NOT NULL,
    version        VARCHAR(255)             NOT NULL,
    release_label  VARCHAR(255)             NOT NULL,
    release_number INTEGER,
    reserved_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (component, version, release_label)
);
