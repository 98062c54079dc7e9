package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.StoreContract;

/** The JDBC store on MariaDb passes the conformance suite. */
final class MariaDbStoreTest implements StoreContract {
  @Override
  public Stores stores() {
    return Databases.stores(Dialect.MARIADB);
  }
}
