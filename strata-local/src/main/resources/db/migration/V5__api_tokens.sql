-- API tokens of the build service (strata serve): one row per token. Only the SHA-256 of a token is
-- kept (token_hash, hex); the token itself is shown once, by `strata tokens create`. token_id is the
-- public handle `strata tokens list/revoke` use. admin is 0 or 1 (portable between SQLite and
-- PostgreSQL). A revoked token keeps its row (revoked_at set) so that the list shows what happened.
CREATE TABLE api_tokens (
    token_id     VARCHAR(32)              NOT NULL PRIMARY KEY,
    token_hash   VARCHAR(64)              NOT NULL UNIQUE,
    user_name    VARCHAR(255)             NOT NULL,
    admin        SMALLINT                 NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE
);
