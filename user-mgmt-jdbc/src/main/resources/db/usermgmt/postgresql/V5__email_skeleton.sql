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
