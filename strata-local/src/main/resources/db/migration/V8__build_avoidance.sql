-- Build avoidance and autorebuild (docs/builds.md, "Build avoidance", "Autorebuild").
-- content_key: SHA-256 over every input of the build, set when a build completes with the inputs it
-- was keyed on; a later build with the same key reuses its image (reused_from) or writes a new
-- config over its layers (config_only_from). autorebuild_cause: the parent digest change that made
-- the autorebuild policy submit the build.
ALTER TABLE builds ADD COLUMN content_key VARCHAR(80);
ALTER TABLE builds ADD COLUMN reused_from VARCHAR(32);
ALTER TABLE builds ADD COLUMN config_only_from VARCHAR(32);
ALTER TABLE builds ADD COLUMN autorebuild_cause VARCHAR(2000);
CREATE INDEX builds_by_content_key ON builds (content_key, created_at);

-- Components rebuilt when a parent image of their last successful build on a branch changes.
CREATE TABLE autorebuild_policies (
    component   VARCHAR(255)             NOT NULL,
    git_branch  VARCHAR(255)             NOT NULL,
    enabled_by  VARCHAR(255),
    enabled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (component, git_branch)
);
