-- user-mgmt schema, version 7 (mariadb): due schedules walked by keyset.
-- A run of the due schedules reads them a page at a time in order of the scheduled time, then of
-- id, each page starting after the last user of the one before. With the id in the index, a page
-- is one range of it wherever it starts; without it, every page read and sorted every due user.
DROP INDEX ix_um_users_invite_due ON um_users;
DROP INDEX ix_um_users_activation_due ON um_users;
CREATE INDEX ix_um_users_invite_due ON um_users (tenant_id, invite_scheduled_at, id);
CREATE INDEX ix_um_users_activation_due ON um_users (tenant_id, activation_scheduled_at, id);
