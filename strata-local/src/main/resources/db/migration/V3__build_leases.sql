-- The lease of a running build: which process runs it (owner_id unique per process, host, pid and
-- its start time, because pids are reused), its workspace, the process group of the builder it runs
-- now, when the owner last said it was alive, and whether someone asked it to cancel. The row is
-- written before the build moves to RUNNING and deleted with the move to a finished state, so a
-- lease whose owner is gone marks a build that nobody will finish: Strata reconciles it.
CREATE TABLE build_leases (
    build_id            VARCHAR(32)              NOT NULL PRIMARY KEY REFERENCES builds (id),
    owner_id            VARCHAR(64)              NOT NULL,
    host                VARCHAR(255)             NOT NULL,
    pid                 BIGINT                   NOT NULL,
    owner_started_at    TIMESTAMP WITH TIME ZONE,
    workspace           VARCHAR(4096)            NOT NULL,
    process_group       BIGINT,
    heartbeat_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    cancel_requested_at TIMESTAMP WITH TIME ZONE
);
