-- user-mgmt schema, version 3 (mariadb).
-- A change set is kept as text in doc while it is short (one person's edit stays readable in SQL)
-- and deflated in doc_deflated when it is long (a chunk of a bulk apply: the zlib format of RFC 1950
-- over the text's UTF-8 bytes, about a twentieth of the text). Exactly one of the two is set; rows
-- written before this version keep their text.
ALTER TABLE um_change_log
  MODIFY doc LONGTEXT NULL,
  ADD COLUMN doc_deflated LONGBLOB NULL,
  ADD CONSTRAINT ck_um_change_log_doc CHECK ((doc IS NULL) <> (doc_deflated IS NULL));
