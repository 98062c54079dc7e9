package dev.usermgmt.io.export;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exports a filtered view ("Export" in the reference): every user the query matches, in its order,
 * with the visible columns only, streamed page by page (one store query per page, one batched
 * lookup per page for the managers not yet known, a bounded cache of managers), so memory stays
 * flat however many users the view holds.
 */
public final class UserExporter {
  private static final int MANAGER_CACHE = 100_000;
  private final UserDirectory directory;

  private UserExporter(UserDirectory directory) {
    this.directory = directory;
  }

  /**
   * An exporter over a directory.
   *
   * @param directory the directory
   * @return the exporter
   */
  public static UserExporter of(UserDirectory directory) {
    return new UserExporter(directory);
  }

  /**
   * The file columns a spec writes, in order.
   *
   * @param spec the visible columns
   * @param schema the tenant's custom attributes
   * @return the header names
   */
  public static List<String> headers(ExportSpec spec, AttributeSchema schema) {
    Set<String> out = new LinkedHashSet<>();
    spec.columns().forEach(c -> out.addAll(c.headers()));
    for (String key : spec.attributes()) {
      AttributeDefinition d =
          schema
              .definition(key)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          Problem.ofField(
                              ErrorCode.UNKNOWN_ATTRIBUTE,
                              AttributeSchema.fieldOf(key),
                              "no custom attribute '" + key + "'")));
      out.add(AttributeSchema.fieldOf(d.key()));
    }
    return List.copyOf(out);
  }

  /**
   * Writes the view.
   *
   * @param actor who exports; needs to view users
   * @param view the filtered, sorted view
   * @param spec the visible columns
   * @param format the file format
   * @param out where the file goes (not closed)
   * @param listener progress (users written so far)
   * @return how many users were written
   */
  public long export(
      Actor actor,
      UserQuery view,
      ExportSpec spec,
      ExportFormat format,
      OutputStream out,
      BulkListener listener) {
    Services services = Services.of(directory);
    Actor now = services.current(actor);
    services.require(now, Action.EXPORT);
    TenantId tenant = now.tenant();
    AttributeSchema schema = services.schema(tenant);
    List<String> headers = headers(spec, schema);
    requireVisible(
        services.visibility(now, Relation.OTHER, schema, Visibility.Purpose.RECORD), headers);
    UserLookup lookup = services.stores().users();
    Map<UserId, Manager> managers = lru();
    long[] written = {0};
    try (TableWriter writer = TableWriter.open(format, out)) {
      writer.header(headers);
      directory.walk(
          actor,
          view,
          page -> {
            if (needsManagers(headers)) {
              loadManagers(lookup, tenant, page, managers, headers.contains("managers"));
            }
            for (User u : page) {
              List<Object> row = new ArrayList<>(headers.size());
              Optional<Manager> manager = u.managerId().map(managers::get);
              for (String h : headers) {
                row.add(value(h, u, manager, managers));
              }
              writer.row(row);
            }
            written[0] += page.size();
            listener.progress("export", written[0], written[0]);
          });
    }
    return written[0];
  }

  /** The field each standard column shows (the manager columns show the manager's). */
  private static final Map<String, UserField> SOURCES =
      Map.ofEntries(
          Map.entry("displayName", UserField.DISPLAY_NAME),
          Map.entry("primaryEmail", UserField.PRIMARY_EMAIL),
          Map.entry("employeeId", UserField.EMPLOYEE_ID),
          Map.entry("department", UserField.DEPARTMENT),
          Map.entry("jobTitle", UserField.JOB_TITLE),
          Map.entry("inactive", UserField.STATUS),
          Map.entry("location", UserField.LOCATION),
          Map.entry("hireDate", UserField.HIRE_DATE),
          Map.entry("managerDisplayName", UserField.MANAGER_ID),
          Map.entry("managerPrimaryEmail", UserField.MANAGER_ID),
          Map.entry("managers", UserField.MANAGER_ID),
          Map.entry("role", UserField.ROLE),
          Map.entry("lastActivityAt", UserField.LAST_ACTIVITY_AT),
          Map.entry("skillsCount", UserField.SKILLS_COUNT),
          Map.entry("status", UserField.STATUS),
          Map.entry("groups", UserField.GROUPS),
          Map.entry("company", UserField.COMPANY),
          Map.entry("position", UserField.POSITION),
          Map.entry("userType", UserField.USER_TYPE),
          Map.entry("deactivatedAt", UserField.DEACTIVATED_AT),
          Map.entry("phoneNumber", UserField.PHONE_NUMBER));

  /** An export shows only what the actor may see: a column of anything else is refused. */
  private static void requireVisible(Visibility visible, List<String> headers) {
    for (String h : headers) {
      boolean ok =
          h.startsWith("attributes.")
              ? visible.seesAttribute(h.substring("attributes.".length()))
              : visible.sees(SOURCES.getOrDefault(h, UserField.DISPLAY_NAME))
                  && (!h.equals("managerPrimaryEmail") || visible.sees(UserField.PRIMARY_EMAIL));
      if (!ok) {
        throw new AccessDeniedException(
            Decision.deny(
                Decision.Reason.FIELD_READ_ONLY,
                "the column '" + h + "' is not visible to the actor, so it is not exported"));
      }
    }
  }

  private static boolean needsManagers(List<String> headers) {
    return headers.contains("managerDisplayName")
        || headers.contains("managerPrimaryEmail")
        || headers.contains("managers");
  }

  /** The managers of a page (and, for the hierarchy, their managers up the line), batched. */
  private static void loadManagers(
      UserLookup lookup,
      TenantId tenant,
      List<User> page,
      Map<UserId, Manager> cache,
      boolean hierarchy) {
    Set<UserId> first = new LinkedHashSet<>();
    page.forEach(u -> u.managerId().filter(m -> !cache.containsKey(m)).ifPresent(first::add));
    Set<UserId> wanted = first;
    int guard = 0;
    while (!wanted.isEmpty() && guard++ < 64) {
      Map<UserId, User> found =
          Batches.lookup(
              List.copyOf(wanted),
              lookup.maxBatchSize(),
              (List<UserId> ids) -> lookup.getAll(tenant, ids));
      Set<UserId> up = new LinkedHashSet<>();
      for (UserId id : wanted) {
        User m = found.get(id);
        Manager entry =
            m == null
                ? new Manager("", "", Optional.empty())
                : new Manager(
                    m.displayName(),
                    m.primaryEmail().map(EmailAddress::value).orElse(""),
                    m.managerId());
        cache.put(id, entry);
        if (hierarchy) {
          entry.managerId().filter(x -> !cache.containsKey(x)).ifPresent(up::add);
        }
      }
      wanted = up;
    }
  }

  private static Object value(
      String header, User u, Optional<Manager> manager, Map<UserId, Manager> managers) {
    return switch (header) {
      case "displayName" -> u.displayName();
      case "primaryEmail" -> u.primaryEmail().map(EmailAddress::value);
      case "employeeId" -> u.employeeId();
      case "department" -> u.department();
      case "jobTitle" -> u.jobTitle();
      case "inactive" -> u.status().isInactive();
      case "location" -> u.location();
      case "hireDate" -> u.hireDate();
      case "managerDisplayName" -> manager.map(Manager::displayName).orElse("");
      case "managerPrimaryEmail" -> manager.map(Manager::email).orElse("");
      case "managers" -> chain(u, managers);
      case "role" -> u.role().label();
      case "lastActivityAt" -> u.lastActivityAt();
      case "skillsCount" -> u.skillsCount();
      case "status" -> u.status().simpleWord();
      case "groups" -> u.groups();
      case "company" -> u.company();
      case "position" -> u.position();
      case "userType" -> u.userType();
      case "deactivatedAt" -> u.deactivatedAt();
      case "phoneNumber" -> u.phoneNumber().map(p -> p.e164());
      default -> attribute(header, u);
    };
  }

  private static Object attribute(String header, User u) {
    String key = header.substring("attributes.".length());
    AttributeValue v = u.attributes().get(key);
    if (v == null) {
      return "";
    }
    return switch (v.type()) {
      case NUMBER -> v.asNumber();
      case DATE -> v.asDate();
      case BOOLEAN -> v.asBoolean();
      case TEXT, USER_REF -> v.canonical();
    };
  }

  /** Display names up the line, nearest first, stopping at a cycle. */
  private static String chain(User u, Map<UserId, Manager> managers) {
    List<String> names = new ArrayList<>();
    Set<UserId> seen = new LinkedHashSet<>();
    Optional<UserId> next = u.managerId();
    while (next.isPresent() && seen.add(next.get())) {
      Manager m = managers.get(next.get());
      if (m == null) {
        break;
      }
      names.add(m.displayName());
      next = m.managerId();
    }
    return String.join("; ", names);
  }

  private static Map<UserId, Manager> lru() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<UserId, Manager> eldest) {
        return size() > MANAGER_CACHE;
      }
    };
  }

  /** What a file needs of a manager. */
  private record Manager(String displayName, String email, Optional<UserId> managerId) {}
}
