-- Multi-platform builds (docs/builds.md, "Multi-platform builds"): an orchestrator build has one
-- worker build per platform, each a build of its own (state, steps, log, outputs) that names its
-- parent here. Listings show builds without a parent only; platform is the worker's platform.
ALTER TABLE builds ADD COLUMN parent_id VARCHAR(32);
ALTER TABLE builds ADD COLUMN worker_platform VARCHAR(64);
CREATE INDEX builds_by_parent ON builds (parent_id, created_at);
