package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.AuthorityContract;

/** The authority holds on the JDBC store on MariaDB. */
final class MariaDbAuthorityTest extends AuthorityContract {
  @Override
  protected Stores stores() {
    return Databases.stores(Dialect.MARIADB);
  }
}
