-- user-mgmt schema, version 4 (postgresql): the columns follow the library's one value model.
-- Custom numbers are exact decimals of at most 35 integer and 30 fraction digits: DECIMAL(38, 12)
-- rounded 0.30000000000000004 to 0.3 and refused numbers beyond 26 integer digits. Text columns
-- already compare by code point (COLLATE "C"), without padding; the library refuses NUL and lone
-- surrogates, which PostgreSQL cannot keep, and folded keys longer than their columns.
ALTER TABLE um_user_attributes ALTER COLUMN num_value TYPE DECIMAL(65, 30);
