-- The user-mgmt schema (db/usermgmt/h2) at version 7 as plain DDL, for hosts that create it
-- with Liquibase or their own tooling: the migrations V1, V2, V3, V4, V5, V7, one after the other.
-- Generated from them; never edit. After adding a migration, regenerate with
-- ./mvnw -q -pl user-mgmt-jdbc -am test -Dtest=DdlScriptsTest#scriptsAreTheMigrationsInVersionOrder -Dsurefire.failIfNoSpecifiedTests=false -Dusermgmt.writeDdl=true

-- V1__user_mgmt.sql
-- user-mgmt schema, version 1 (h2).
-- Every table and index leads with tenant_id. Text used for matching and sorting is stored
-- folded by the library (lower case, accents removed) in *_key columns compared byte-wise, so
-- every database orders and matches exactly as the in-memory reference store does. Times are
-- nanoseconds since the epoch (BIGINT), exact like java.time.Instant. The whole user is also kept
-- in doc, the library's canonical text form.

CREATE TABLE um_tenants (
  tenant_id VARCHAR(64) NOT NULL,
  log_seq BIGINT NOT NULL,
  PRIMARY KEY (tenant_id)
);

CREATE TABLE um_users (
  tenant_id VARCHAR(64) NOT NULL,
  id VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  write_token VARCHAR(36) NOT NULL,
  email_key VARCHAR(320),
  email_fold VARCHAR(320),
  employee_id VARCHAR(500),
  employee_id_key VARCHAR(500),
  manager_id VARCHAR(64),
  status VARCHAR(20) NOT NULL,
  status_rank INT NOT NULL,
  role_key VARCHAR(40) NOT NULL,
  role_level INT NOT NULL,
  display_name VARCHAR(500) NOT NULL,
  display_key VARCHAR(500) NOT NULL,
  first_key VARCHAR(500),
  last_key VARCHAR(500),
  username_key VARCHAR(500),
  phone VARCHAR(32),
  job_title VARCHAR(500),
  job_title_key VARCHAR(500),
  job_position VARCHAR(500),
  job_position_key VARCHAR(500),
  department VARCHAR(500),
  department_key VARCHAR(500),
  company VARCHAR(500),
  company_key VARCHAR(500),
  location VARCHAR(500),
  location_key VARCHAR(500),
  office VARCHAR(500),
  office_key VARCHAR(500),
  user_type VARCHAR(500),
  user_type_key VARCHAR(500),
  language_key VARCHAR(100),
  password_state_key VARCHAR(20) NOT NULL,
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
  search_text VARCHAR(4000) NOT NULL,
  details_hash VARCHAR(64) NOT NULL,
  doc CHARACTER LARGE OBJECT NOT NULL,
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
  tenant_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  val VARCHAR(200) NOT NULL,
  val_key VARCHAR(200) NOT NULL,
  PRIMARY KEY (tenant_id, user_id, kind, val)
);

CREATE INDEX ix_um_user_values_key ON um_user_values (tenant_id, kind, val_key);

CREATE TABLE um_user_attributes (
  tenant_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  attr_key VARCHAR(64) NOT NULL,
  text_key VARCHAR(2000),
  num_value DECIMAL(38, 12),
  date_value DATE,
  bool_value BOOLEAN,
  ref_value VARCHAR(64),
  PRIMARY KEY (tenant_id, user_id, attr_key)
);

CREATE INDEX ix_um_user_attributes_num ON um_user_attributes (tenant_id, attr_key, num_value);
CREATE INDEX ix_um_user_attributes_date ON um_user_attributes (tenant_id, attr_key, date_value);

CREATE TABLE um_attribute_defs (
  tenant_id VARCHAR(64) NOT NULL,
  attr_key VARCHAR(64) NOT NULL,
  sort_position BIGINT NOT NULL,
  label VARCHAR(200) NOT NULL,
  attr_type VARCHAR(16) NOT NULL,
  visible_to_managers BOOLEAN NOT NULL,
  editable_by_managers BOOLEAN NOT NULL,
  is_required BOOLEAN NOT NULL,
  is_personal BOOLEAN NOT NULL,
  is_sensitive BOOLEAN NOT NULL,
  PRIMARY KEY (tenant_id, attr_key)
);

CREATE TABLE um_groups (
  tenant_id VARCHAR(64) NOT NULL,
  id VARCHAR(200) NOT NULL,
  name VARCHAR(500) NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE um_change_log (
  tenant_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  id VARCHAR(64) NOT NULL,
  doc CHARACTER LARGE OBJECT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

CREATE UNIQUE INDEX ux_um_change_log_id ON um_change_log (tenant_id, id);

CREATE TABLE um_change_users (
  tenant_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id, seq)
);

-- V2__doc_as_varchar.sql
-- user-mgmt schema, version 2 (h2).
-- The canonical documents become CHARACTER VARYING. As CHARACTER LARGE OBJECT, H2 keeps every
-- value a query returns referenced by the session for LOB_TIMEOUT (five minutes by default), so
-- walking a million users (an export) filled the heap. Documents are far below H2's 1,000,000,000
-- character limit of CHARACTER VARYING.
ALTER TABLE um_users ALTER COLUMN doc SET DATA TYPE CHARACTER VARYING(1000000000);
ALTER TABLE um_change_log ALTER COLUMN doc SET DATA TYPE CHARACTER VARYING(1000000000);

-- V3__change_sets_deflated.sql
-- user-mgmt schema, version 3 (h2).
-- A change set is kept as text in doc while it is short (one person's edit stays readable in SQL)
-- and deflated in doc_deflated when it is long (a chunk of a bulk apply: the zlib format of RFC 1950
-- over the text's UTF-8 bytes, about a twentieth of the text). Exactly one of the two is set; rows
-- written before this version keep their text.
ALTER TABLE um_change_log ALTER COLUMN doc SET NULL;
ALTER TABLE um_change_log ADD COLUMN doc_deflated VARBINARY(1000000000);
ALTER TABLE um_change_log ADD CONSTRAINT ck_um_change_log_doc
  CHECK ((doc IS NULL) <> (doc_deflated IS NULL));

-- V4__value_model.sql
-- user-mgmt schema, version 4 (h2): the columns follow the library's one value model.
-- Custom numbers are exact decimals of at most 35 integer and 30 fraction digits: DECIMAL(38, 12)
-- rounded 0.30000000000000004 to 0.3 and refused numbers beyond 26 integer digits.
-- H2 compares text by UTF-16 code unit, where a supplementary character (a surrogate pair,
-- U+D800-U+DFFF) sorts before U+E000-U+FFFF; every other store orders by code point. From this
-- version the library writes the folded *_key, email_fold, search_text, val_key and text_key
-- columns on H2 in an order-preserving form (characters from U+D800 up moved so that code-unit
-- order is code-point order; all others, ASCII included, unchanged) and encodes its literals the
-- same way. Keys with characters from U+D800 up written before this version take that form when
-- their user is next written.
ALTER TABLE um_user_attributes ALTER COLUMN num_value SET DATA TYPE DECIMAL(65, 30);

-- V5__email_skeleton.sql
-- user-mgmt schema, version 5 (h2).
-- The UTS #39 skeleton of each user's primary e-mail identity key (EmailAddress.skeleton()), which
-- look-alike addresses share (a Cyrillic а and a Latin a, a dotless ı and an i), kept as the
-- lower-case hex SHA-256 of its UTF-8 bytes (a skeleton may be several times longer than the
-- address): the directory finds the users an address is confusable with through this index and
-- refuses, or flags, a second one. Not unique: a host may allow a confusable address explicitly.
-- Rows written before this version get theirs from the store the first time it looks skeletons up
-- (one pass, in chunks).
ALTER TABLE um_users ADD COLUMN email_skeleton_sha256 VARCHAR(64);
CREATE INDEX ix_um_users_email_skeleton ON um_users (tenant_id, email_skeleton_sha256);

-- V7__schedule_walks.sql
-- user-mgmt schema, version 7 (h2): due schedules walked by keyset.
-- A run of the due schedules reads them a page at a time in order of the scheduled time, then of
-- id, each page starting after the last user of the one before. With the id in the index, a page
-- is one range of it wherever it starts; without it, every page read and sorted every due user.
DROP INDEX ix_um_users_invite_due;
DROP INDEX ix_um_users_activation_due;
CREATE INDEX ix_um_users_invite_due ON um_users (tenant_id, invite_scheduled_at, id);
CREATE INDEX ix_um_users_activation_due ON um_users (tenant_id, activation_scheduled_at, id);
