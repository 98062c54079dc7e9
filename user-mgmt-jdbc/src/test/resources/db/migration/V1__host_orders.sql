-- A host application's own first migration, run by the host's own Flyway with its own history
-- table (flyway_schema_history): its versions start at 1, as the library's do.
CREATE TABLE host_orders (
  id BIGINT NOT NULL,
  customer VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
);
