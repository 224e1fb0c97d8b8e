-- The built-in `local` CRM: contacts, activities (call and message logs), appointments.

CREATE TABLE local_contacts (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'Contact',
    company TEXT NOT NULL DEFAULT '',
    owner_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX local_contacts_owner ON local_contacts (owner_id);

CREATE TABLE local_contact_phones (
    contact_id TEXT NOT NULL REFERENCES local_contacts (id) ON DELETE CASCADE,
    e164 TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (contact_id, e164)
);
CREATE INDEX local_contact_phones_e164 ON local_contact_phones (e164);

CREATE TABLE local_activities (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    contact_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT 'text/plain',
    session_id TEXT NOT NULL DEFAULT '',
    dispositions TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX local_activities_owner ON local_activities (owner_id, contact_id);

CREATE TABLE local_appointments (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    start_time_utc TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    contact_ids TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX local_appointments_owner ON local_appointments (owner_id);
