-- The built-in `local` CRM (connectors/local): contacts, their phone numbers, activities
-- (call and message logs) and appointments. Every row carries owner_id (the App Connect
-- user id, "<hash>-local") and every query of the connector filters on it.
-- Times are epoch milliseconds; JSON is TEXT.

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
CREATE INDEX local_contacts_owner ON local_contacts (owner_id, created_at);

-- One row per phone number of a contact. e164 is the phonenumbers normalisation ('' when
-- the number cannot be parsed); digits is the number with every non-digit removed, the
-- fallback comparison for numbers that are not phone numbers in the default region.
CREATE TABLE local_contact_phones (
    contact_id TEXT NOT NULL REFERENCES local_contacts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    raw TEXT NOT NULL,
    e164 TEXT NOT NULL DEFAULT '',
    digits TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, position)
);
CREATE INDEX local_contact_phones_e164 ON local_contact_phones (owner_id, e164);
CREATE INDEX local_contact_phones_digits ON local_contact_phones (owner_id, digits);

-- kind: call | sms | voicemail | fax. body is stored exactly as written (composed by core
-- for calls, built by the connector for messages); format says how to display it.
CREATE TABLE local_activities (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    contact_id TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT 'text/plain',
    session_id TEXT NOT NULL DEFAULT '',
    dispositions TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX local_activities_owner ON local_activities (owner_id, created_at);
CREATE INDEX local_activities_contact ON local_activities (owner_id, contact_id);

-- attendees: JSON list of {id, type}.
CREATE TABLE local_appointments (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    start_at BIGINT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    attendees TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX local_appointments_owner ON local_appointments (owner_id, start_at);
