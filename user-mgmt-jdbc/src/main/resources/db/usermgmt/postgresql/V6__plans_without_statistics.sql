-- user-mgmt schema, version 6 (postgresql): plans that need no statistics.
-- A table that has never been analyzed (a fresh install, a server with autovacuum off) is sized
-- by the planner from its pages and the declared width of its columns. With every long text
-- column declared VARCHAR(n) (n characters of up to 4 bytes each) a users row was estimated at
-- over 8 kB, that is at no rows per page: the planner took the table for empty and chose any
-- index leading with tenant_id for every lookup, reading the whole tenant per batch. As TEXT
-- the same columns are estimated at their real size. MariaDB and H2 keep the VARCHAR lengths, so
-- whatever the library writes still fits them; on PostgreSQL the change rewrites no rows.
ALTER TABLE um_users
  ALTER COLUMN email_key TYPE TEXT COLLATE "C",
  ALTER COLUMN email_fold TYPE TEXT COLLATE "C",
  ALTER COLUMN employee_id TYPE TEXT COLLATE "C",
  ALTER COLUMN employee_id_key TYPE TEXT COLLATE "C",
  ALTER COLUMN display_name TYPE TEXT COLLATE "C",
  ALTER COLUMN display_key TYPE TEXT COLLATE "C",
  ALTER COLUMN first_key TYPE TEXT COLLATE "C",
  ALTER COLUMN last_key TYPE TEXT COLLATE "C",
  ALTER COLUMN username_key TYPE TEXT COLLATE "C",
  ALTER COLUMN job_title TYPE TEXT COLLATE "C",
  ALTER COLUMN job_title_key TYPE TEXT COLLATE "C",
  ALTER COLUMN job_position TYPE TEXT COLLATE "C",
  ALTER COLUMN job_position_key TYPE TEXT COLLATE "C",
  ALTER COLUMN department TYPE TEXT COLLATE "C",
  ALTER COLUMN department_key TYPE TEXT COLLATE "C",
  ALTER COLUMN company TYPE TEXT COLLATE "C",
  ALTER COLUMN company_key TYPE TEXT COLLATE "C",
  ALTER COLUMN location TYPE TEXT COLLATE "C",
  ALTER COLUMN location_key TYPE TEXT COLLATE "C",
  ALTER COLUMN office TYPE TEXT COLLATE "C",
  ALTER COLUMN office_key TYPE TEXT COLLATE "C",
  ALTER COLUMN user_type TYPE TEXT COLLATE "C",
  ALTER COLUMN user_type_key TYPE TEXT COLLATE "C",
  ALTER COLUMN language_key TYPE TEXT COLLATE "C",
  ALTER COLUMN search_text TYPE TEXT COLLATE "C";

-- The schedule indexes hold only the users with a schedule: the due-schedule reads use them, and
-- no other query can take them for a smaller index of the tenant.
DROP INDEX ix_um_users_invite_due;
DROP INDEX ix_um_users_activation_due;
CREATE INDEX ix_um_users_invite_due ON um_users (tenant_id, invite_scheduled_at)
  WHERE invite_scheduled_at IS NOT NULL;
CREATE INDEX ix_um_users_activation_due ON um_users (tenant_id, activation_scheduled_at)
  WHERE activation_scheduled_at IS NOT NULL;
