-- The user-mgmt schema (db/usermgmt/postgresql) at version 7 as plain DDL, for hosts that create it
-- with Liquibase or their own tooling: the migrations V1, V3, V4, V5, V6, V7, one after the other.
-- Generated from them; never edit. After adding a migration, regenerate with
-- ./mvnw -q -pl user-mgmt-jdbc -am test -Dtest=DdlScriptsTest#scriptsAreTheMigrationsInVersionOrder -Dsurefire.failIfNoSpecifiedTests=false -Dusermgmt.writeDdl=true

-- V1__user_mgmt.sql
-- user-mgmt schema, version 1 (postgresql).
-- Every table and index leads with tenant_id. Text used for matching and sorting is stored
-- folded by the library (lower case, accents removed) in *_key columns compared byte-wise, so
-- every database orders and matches exactly as the in-memory reference store does. Times are
-- nanoseconds since the epoch (BIGINT), exact like java.time.Instant. The whole user is also kept
-- in doc, the library's canonical text form.

CREATE TABLE um_tenants (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  log_seq BIGINT NOT NULL,
  PRIMARY KEY (tenant_id)
);

CREATE TABLE um_users (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  id VARCHAR(64) COLLATE "C" NOT NULL,
  version BIGINT NOT NULL,
  write_token VARCHAR(36) COLLATE "C" NOT NULL,
  email_key VARCHAR(320) COLLATE "C",
  email_fold VARCHAR(320) COLLATE "C",
  employee_id VARCHAR(500) COLLATE "C",
  employee_id_key VARCHAR(500) COLLATE "C",
  manager_id VARCHAR(64) COLLATE "C",
  status VARCHAR(20) COLLATE "C" NOT NULL,
  status_rank INT NOT NULL,
  role_key VARCHAR(40) COLLATE "C" NOT NULL,
  role_level INT NOT NULL,
  display_name VARCHAR(500) COLLATE "C" NOT NULL,
  display_key VARCHAR(500) COLLATE "C" NOT NULL,
  first_key VARCHAR(500) COLLATE "C",
  last_key VARCHAR(500) COLLATE "C",
  username_key VARCHAR(500) COLLATE "C",
  phone VARCHAR(32) COLLATE "C",
  job_title VARCHAR(500) COLLATE "C",
  job_title_key VARCHAR(500) COLLATE "C",
  job_position VARCHAR(500) COLLATE "C",
  job_position_key VARCHAR(500) COLLATE "C",
  department VARCHAR(500) COLLATE "C",
  department_key VARCHAR(500) COLLATE "C",
  company VARCHAR(500) COLLATE "C",
  company_key VARCHAR(500) COLLATE "C",
  location VARCHAR(500) COLLATE "C",
  location_key VARCHAR(500) COLLATE "C",
  office VARCHAR(500) COLLATE "C",
  office_key VARCHAR(500) COLLATE "C",
  user_type VARCHAR(500) COLLATE "C",
  user_type_key VARCHAR(500) COLLATE "C",
  language_key VARCHAR(100) COLLATE "C",
  password_state_key VARCHAR(20) COLLATE "C" NOT NULL,
  hire_date DATE,
  deactivated_at BIGINT,
  last_activity_at BIGINT,
  last_login_at BIGINT,
  invited_at BIGINT,
  invite_scheduled_at BIGINT,
  activation_scheduled_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  skills_count INT NOT NULL,
  taking_a_break BOOLEAN NOT NULL,
  locked_out BOOLEAN NOT NULL,
  mfa_required BOOLEAN NOT NULL,
  search_text VARCHAR(4000) COLLATE "C" NOT NULL,
  details_hash VARCHAR(64) COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX ux_um_users_email ON um_users (tenant_id, email_key);
CREATE INDEX ix_um_users_employee ON um_users (tenant_id, employee_id);
CREATE INDEX ix_um_users_manager ON um_users (tenant_id, manager_id);
CREATE INDEX ix_um_users_department ON um_users (tenant_id, department_key, id);
CREATE INDEX ix_um_users_company ON um_users (tenant_id, company_key, id);
CREATE INDEX ix_um_users_location ON um_users (tenant_id, location_key, id);
CREATE INDEX ix_um_users_display ON um_users (tenant_id, display_key, id);
CREATE INDEX ix_um_users_role ON um_users (tenant_id, role_level, id);
CREATE INDEX ix_um_users_status ON um_users (tenant_id, status_rank, id);
CREATE INDEX ix_um_users_activity ON um_users (tenant_id, last_activity_at, id);
CREATE INDEX ix_um_users_skills ON um_users (tenant_id, skills_count, id);
CREATE INDEX ix_um_users_hire ON um_users (tenant_id, hire_date, id);
CREATE INDEX ix_um_users_invite_due ON um_users (tenant_id, invite_scheduled_at);
CREATE INDEX ix_um_users_activation_due ON um_users (tenant_id, activation_scheduled_at);

CREATE TABLE um_user_values (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  user_id VARCHAR(64) COLLATE "C" NOT NULL,
  kind VARCHAR(16) COLLATE "C" NOT NULL,
  val VARCHAR(200) COLLATE "C" NOT NULL,
  val_key VARCHAR(200) COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, user_id, kind, val)
);

CREATE INDEX ix_um_user_values_key ON um_user_values (tenant_id, kind, val_key);

CREATE TABLE um_user_attributes (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  user_id VARCHAR(64) COLLATE "C" NOT NULL,
  attr_key VARCHAR(64) COLLATE "C" NOT NULL,
  text_key VARCHAR(2000) COLLATE "C",
  num_value DECIMAL(38, 12),
  date_value DATE,
  bool_value BOOLEAN,
  ref_value VARCHAR(64) COLLATE "C",
  PRIMARY KEY (tenant_id, user_id, attr_key)
);

CREATE INDEX ix_um_user_attributes_num ON um_user_attributes (tenant_id, attr_key, num_value);
CREATE INDEX ix_um_user_attributes_date ON um_user_attributes (tenant_id, attr_key, date_value);

CREATE TABLE um_attribute_defs (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  attr_key VARCHAR(64) COLLATE "C" NOT NULL,
  sort_position BIGINT NOT NULL,
  label VARCHAR(200) COLLATE "C" NOT NULL,
  attr_type VARCHAR(16) COLLATE "C" NOT NULL,
  visible_to_managers BOOLEAN NOT NULL,
  editable_by_managers BOOLEAN NOT NULL,
  is_required BOOLEAN NOT NULL,
  is_personal BOOLEAN NOT NULL,
  is_sensitive BOOLEAN NOT NULL,
  PRIMARY KEY (tenant_id, attr_key)
);

CREATE TABLE um_groups (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  id VARCHAR(200) COLLATE "C" NOT NULL,
  name VARCHAR(500) COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE um_change_log (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  id VARCHAR(64) COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

CREATE UNIQUE INDEX ux_um_change_log_id ON um_change_log (tenant_id, id);

CREATE TABLE um_change_users (
  tenant_id VARCHAR(64) COLLATE "C" NOT NULL,
  user_id VARCHAR(64) COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, seq)
);

-- V3__change_sets_deflated.sql
-- user-mgmt schema, version 3 (postgresql).
-- A change set is kept as text in doc while it is short (one person's edit stays readable in SQL)
-- and deflated in doc_deflated when it is long (a chunk of a bulk apply: the zlib format of RFC 1950
-- over the text's UTF-8 bytes, about a twentieth of the text). Exactly one of the two is set; rows
-- written before this version keep their text. EXTERNAL storage: TOAST keeps the deflated bytes out
-- of line without trying to compress them again.
ALTER TABLE um_change_log ALTER COLUMN doc DROP NOT NULL;
ALTER TABLE um_change_log ADD COLUMN doc_deflated BYTEA;
ALTER TABLE um_change_log ALTER COLUMN doc_deflated SET STORAGE EXTERNAL;
ALTER TABLE um_change_log ADD CONSTRAINT ck_um_change_log_doc
  CHECK ((doc IS NULL) <> (doc_deflated IS NULL));

-- V4__value_model.sql
-- user-mgmt schema, version 4 (postgresql): the columns follow the library's one value model.
-- Custom numbers are exact decimals of at most 35 integer and 30 fraction digits: DECIMAL(38, 12)
-- rounded 0.30000000000000004 to 0.3 and refused numbers beyond 26 integer digits. Text columns
-- already compare by code point (COLLATE "C"), without padding; the library refuses NUL and lone
-- surrogates, which PostgreSQL cannot keep, and folded keys longer than their columns.
ALTER TABLE um_user_attributes ALTER COLUMN num_value TYPE DECIMAL(65, 30);

-- V5__email_skeleton.sql
-- user-mgmt schema, version 5 (postgresql).
-- The UTS #39 skeleton of each user's primary e-mail identity key (EmailAddress.skeleton()), which
-- look-alike addresses share (a Cyrillic а and a Latin a, a dotless ı and an i), kept as the
-- lower-case hex SHA-256 of its UTF-8 bytes (a skeleton may be several times longer than the
-- address): the directory finds the users an address is confusable with through this index and
-- refuses, or flags, a second one. Not unique: a host may allow a confusable address explicitly.
-- Rows written before this version get theirs from the store the first time it looks skeletons up
-- (one pass, in chunks).
ALTER TABLE um_users ADD COLUMN email_skeleton_sha256 VARCHAR(64) COLLATE "C";
CREATE INDEX ix_um_users_email_skeleton ON um_users (tenant_id, email_skeleton_sha256);

-- V6__plans_without_statistics.sql
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

-- V7__schedule_walks.sql
-- user-mgmt schema, version 7 (postgresql): due schedules walked by keyset.
-- A run of the due schedules reads them a page at a time in order of the scheduled time, then of
-- id, each page starting after the last user of the one before. With the id in the index, a page
-- is one range of it wherever it starts; without it, every page read and sorted every due user.
DROP INDEX ix_um_users_invite_due;
DROP INDEX ix_um_users_activation_due;
CREATE INDEX ix_um_users_invite_due ON um_users (tenant_id, invite_scheduled_at, id)
  WHERE invite_scheduled_at IS NOT NULL;
CREATE INDEX ix_um_users_activation_due ON um_users (tenant_id, activation_scheduled_at, id)
  WHERE activation_scheduled_at IS NOT NULL;
