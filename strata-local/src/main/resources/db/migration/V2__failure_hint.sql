-- The fix hint of a failure is kept beside its reason and message, so every front end can show it.
ALTER TABLE builds ADD COLUMN failure_hint TEXT;
