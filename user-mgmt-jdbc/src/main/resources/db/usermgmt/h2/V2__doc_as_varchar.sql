-- user-mgmt schema, version 2 (h2).
-- The canonical documents become CHARACTER VARYING. As CHARACTER LARGE OBJECT, H2 keeps every
-- value a query returns referenced by the session for LOB_TIMEOUT (five minutes by default), so
-- walking a million users (an export) filled the heap. Documents are far below H2's 1,000,000,000
-- character limit of CHARACTER VARYING.
ALTER TABLE um_users ALTER COLUMN doc SET DATA TYPE CHARACTER VARYING(1000000000);
ALTER TABLE um_change_log ALTER COLUMN doc SET DATA TYPE CHARACTER VARYING(1000000000);
