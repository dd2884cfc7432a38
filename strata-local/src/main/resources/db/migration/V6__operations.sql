-- Operating the service (docs/store.md, "The queue" and "Operations"; issue 10).

-- The claim slots of the queue. A claim takes a free slot of its engine (slot < the engine's
-- concurrency) and, when its platform has a limit, a free slot of its platform, both with
-- FOR UPDATE SKIP LOCKED on PostgreSQL: schedulers of a fleet never wait for each other and never
-- take the same slot, so RUNNING builds stay within the limits without a queue-wide lock. Rows are
-- made on demand; build_id is the build holding the slot (NULL: free).
CREATE TABLE queue_slots (
    scope    VARCHAR(16) NOT NULL,
    name     VARCHAR(64) NOT NULL,
    slot     INTEGER     NOT NULL,
    build_id VARCHAR(32),
    PRIMARY KEY (scope, name, slot)
);
CREATE INDEX queue_slots_by_build ON queue_slots (build_id);

-- Engines and platforms taken out of rotation (strata engines drain NAME): their PENDING builds
-- wait, RUNNING ones finish. In the store, so every member of a fleet honours it.
CREATE TABLE queue_drains (
    scope      VARCHAR(16)              NOT NULL,
    name       VARCHAR(64)              NOT NULL,
    drained_at TIMESTAMP WITH TIME ZONE NOT NULL,
    drained_by VARCHAR(255)             NOT NULL,
    PRIMARY KEY (scope, name)
);

-- prune-builds finds finished builds by their end.
CREATE INDEX builds_by_finish ON builds (finished_at);
CREATE INDEX build_queue_by_engine ON build_queue (engine, platform);
