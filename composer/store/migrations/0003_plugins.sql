-- Plugin pipeline: remote plugin installations, their credentials, async remote tasks.
-- Side-effect tasks use plugin_tasks (0001). Per-account enable/disable and typed config
-- live in the settings key plugin_<name>, not here.

-- One row per (remote plugin, RingCentral account). The manifest is kept apart from the
-- credential, so refreshing a token can never erase the manifest.
CREATE TABLE plugin_installations (
    plugin_id TEXT NOT NULL,
    rc_account_id TEXT NOT NULL,
    plugin_name TEXT NOT NULL DEFAULT '',
    plugin_access TEXT NOT NULL DEFAULT '',
    owner_rc_account_id TEXT NOT NULL DEFAULT '',
    manifest TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (plugin_id, rc_account_id)
);
CREATE INDEX plugin_installations_account ON plugin_installations (rc_account_id);

-- The plugin-issued jwtToken, encrypted (v2:...).
CREATE TABLE plugin_credentials (
    plugin_id TEXT NOT NULL,
    rc_account_id TEXT NOT NULL,
    jwt_token TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (plugin_id, rc_account_id)
);

-- An async remote plugin run awaiting POST /plugin/async-callback/{taskId}. The task id is a
-- bearer capability: only its SHA-256 is stored.
CREATE TABLE plugin_async_tasks (
    id_hash TEXT PRIMARY KEY,
    plugin_id TEXT NOT NULL,
    rc_account_id TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    session_id TEXT NOT NULL DEFAULT '',
    log_id TEXT NOT NULL DEFAULT '',
    hashed_extension_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plugin_async_tasks_expiry ON plugin_async_tasks (expires_at);
