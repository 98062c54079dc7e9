package dev.usermgmt.directory;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a user's modules and groups must name: modules of the tenant, groups that exist. */
final class Validity {
  private Validity() {}

  static List<Problem> modules(TenantSettings ts, Set<String> modules) {
    List<Problem> out = new ArrayList<>();
    for (String m : modules) {
      if (!ts.modules().contains(m)) {
        out.add(
            Problem.ofField(
                ErrorCode.UNKNOWN_MODULE,
                "modules",
                "unknown module '" + m + "'; known: " + ts.modules()));
      }
    }
    return out;
  }

  static List<Problem> groups(Stores stores, TenantId tenant, Set<String> groups) {
    List<Problem> out = new ArrayList<>();
    for (String g : groups) {
      if (stores.groups().get(tenant, g).isEmpty()) {
        out.add(Problem.ofField(ErrorCode.UNKNOWN_GROUP, "groups", "no group '" + g + "'"));
      }
    }
    return out;
  }
}
