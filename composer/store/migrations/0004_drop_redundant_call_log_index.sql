-- call_logs_session (platform, session_id) duplicates the leading columns of the unique key
-- (platform, session_id, extension_number, hashed_extension_id), which serves the same
-- lookups; keeping both cost every reservation an extra index write.
DROP INDEX IF EXISTS call_logs_session;
