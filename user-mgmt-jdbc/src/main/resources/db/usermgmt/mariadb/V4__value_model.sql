-- user-mgmt schema, version 4 (mariadb): the columns follow the library's one value model.
-- Custom numbers are exact decimals of at most 35 integer and 30 fraction digits: DECIMAL(38, 12)
-- rounded 0.30000000000000004 to 0.3 (and MariaDB rounded a literal to the column's scale when it
-- used the index) and refused numbers beyond 26 integer digits.
-- Text compares by code point without padding: utf8mb4_bin is a PAD SPACE collation, so "sales "
-- equalled "sales" and "smith\njr" sorted before "smith"; utf8mb4_nopad_bin compares the code
-- points as they are. Long keys are sorted whole: the library raises max_sort_length for its
-- page queries.
ALTER TABLE um_tenants CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_user_values CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_user_attributes CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_attribute_defs CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_groups CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_change_log CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_change_users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE um_user_attributes MODIFY num_value DECIMAL(65, 30);
