-- Core tables. Portable SQL: SQLite >= 3.35 and PostgreSQL 13+.
-- Times are epoch milliseconds (BIGINT); JSON is TEXT; secrets are encrypted TEXT (v2:...).

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    hostname TEXT NOT NULL DEFAULT '',
    timezone_name TEXT NOT NULL DEFAULT '',
    timezone_offset TEXT NOT NULL DEFAULT '',
    rc_account_id TEXT,
    hashed_rc_extension_id TEXT NOT NULL DEFAULT '',
    access_token TEXT NOT NULL DEFAULT '',
    refresh_token TEXT NOT NULL DEFAULT '',
    token_expiry BIGINT,
    platform_additional_info TEXT NOT NULL DEFAULT '{}',
    user_settings TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE call_logs (
    row_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    session_id TEXT NOT NULL,
    extension_number TEXT NOT NULL DEFAULT '',
    hashed_extension_id TEXT NOT NULL DEFAULT '',
    id TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '',
    contact_id TEXT NOT NULL DEFAULT '',
    third_party_log_id TEXT,
    state TEXT NOT NULL,
    reservation_token TEXT,
    reserved_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (platform, session_id, extension_number, hashed_extension_id)
);
CREATE INDEX call_logs_session ON call_logs (platform, session_id);

CREATE TABLE message_log_conversations (
    platform TEXT NOT NULL,
    scope TEXT NOT NULL,
    conversation_log_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL DEFAULT '',
    third_party_log_id TEXT,
    state TEXT NOT NULL,
    reservation_token TEXT,
    reserved_until BIGINT,
    user_id TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (platform, scope, conversation_log_id)
);

CREATE TABLE message_logs (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    id TEXT NOT NULL,
    conversation_id TEXT NOT NULL DEFAULT '',
    conversation_log_id TEXT NOT NULL DEFAULT '',
    third_party_log_id TEXT,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (platform, user_id, id)
);

CREATE TABLE contact_cache (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    lookup_key TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (platform, user_id, phone_number, lookup_key)
);

CREATE TABLE account_data (
    scope_id TEXT NOT NULL,
    platform_name TEXT NOT NULL,
    data_key TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (scope_id, platform_name, data_key)
);

CREATE TABLE admin_configs (
    id TEXT PRIMARY KEY,
    user_settings TEXT NOT NULL DEFAULT '{}',
    user_mappings TEXT NOT NULL DEFAULT '[]',
    custom_adapter TEXT,
    admin_access_token TEXT NOT NULL DEFAULT '',
    admin_refresh_token TEXT NOT NULL DEFAULT '',
    admin_token_expiry BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE note_cache (
    session_id TEXT NOT NULL,
    hashed_extension_id TEXT NOT NULL,
    note TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, hashed_extension_id)
);

CREATE TABLE caches (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT
);

CREATE TABLE proxy_configs (
    proxy_id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    secret_key TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

CREATE TABLE plugin_tasks (
    id TEXT PRIMARY KEY,
    plugin TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    next_run_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX plugin_tasks_due ON plugin_tasks (state, next_run_at);
