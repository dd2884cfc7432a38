-- The due builds of an engine in queue order (BuildStore.due, read by every scheduler each time a
-- build ends): highest priority first, then the oldest, the id breaking ties. build_queue_order
-- (priority, enqueued_at) does not match that order's mixed directions nor filter by engine, so
-- SQLite read and sorted the whole queue on each read; with this index it reads the first rows of
-- the engine in order and stops at the limit (docs/store.md, The queue).
CREATE INDEX build_queue_due ON build_queue (engine, priority DESC, enqueued_at, build_id);

-- Admission counts the builds waiting (a queue row not claimed: claimed_at NULL) in the transaction
-- that inserts a new one, up to strata_queue_max_pending: this index holds exactly those rows.
CREATE INDEX build_queue_waiting ON build_queue (build_id) WHERE claimed_at IS NULL;
