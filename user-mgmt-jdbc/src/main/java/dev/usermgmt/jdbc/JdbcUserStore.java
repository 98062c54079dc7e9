package dev.usermgmt.jdbc;

import com.google.common.collect.Maps;
import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.store.Checks;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.jdbc.internal.Sql;
import dev.usermgmt.jdbc.internal.SqlTranslator;
import dev.usermgmt.jdbc.internal.Times;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.SearchText;
import dev.usermgmt.spi.AttributeDefinitionStore;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import dev.usermgmt.user.UserSummary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** {@link UserStore} over JDBC. */
final class JdbcUserStore implements UserStore {
  /**
   * A column of {@code um_users}: its value for a user, and the parts of the user it is worked out
   * from ({@code sources}, bits as {@link #differing} sets them): an update sets the column only
   * when one of its sources differs from the stored user's, so a value that is costly to work out
   * (a fold, the e-mail skeleton's digest) is worked out only when what it depends on changed.
   * {@code key} tells a folded key, stored in the dialect's key form.
   */
  private record Column(
      String name, int type, Function<User, @Nullable Object> value, long sources, boolean key) {
    Column(String name, int type, Function<User, @Nullable Object> value, long sources) {
      this(name, type, value, sources, KEYS.contains(name));
    }

    /** The folded keys compared and ordered in SQL, stored in the dialect's key form. */
    private static final java.util.Set<String> KEYS =
        java.util.Set.of(
            "email_key",
            "email_fold",
            "employee_id_key",
            "display_key",
            "first_key",
            "last_key",
            "username_key",
            "job_title_key",
            "job_position_key",
            "department_key",
            "company_key",
            "location_key",
            "office_key",
            "user_type_key",
            "language_key",
            "password_state_key",
            "search_text");

    /** The column's value for a user, a folded key in the dialect's key form. */
    @Nullable Object of(User u, Dialect d) {
      Object v = value.apply(u);
      return key && v instanceof String s ? d.storedKey(s) : v;
    }
  }

  private static final UserField[] FIELDS = UserField.values();

  /** The parts of a user beyond its fields that columns are worked out from: bits after theirs. */
  private static final long EMAIL_TEXT_PART = 1L << FIELDS.length; // the address as written

  private static final long ATTRIBUTES_PART = EMAIL_TEXT_PART << 1;
  private static final long UPDATED_AT_PART = EMAIL_TEXT_PART << 2;
  private static final long VERSION_PART = EMAIL_TEXT_PART << 3;

  static {
    if (FIELDS.length + 4 >= Long.SIZE) {
      throw new IllegalStateException("more parts of a user than bits in a long");
    }
  }

  /** The bits of some fields, as {@link #differing} sets them. */
  private static long parts(UserField... fields) {
    long m = 0;
    for (UserField f : fields) {
      m |= 1L << java.util.Arrays.asList(FIELDS).indexOf(f);
    }
    return m;
  }

  /**
   * The parts of a user that differ between two users, as a bit a part: each field the columns are
   * worked out from, compared once however many columns it is the source of (by {@link
   * UserField#equalIn}, through each field's own accessor, whose {@code Optional} the compiler can
   * take apart), and the parts beyond the fields.
   */
  private static long differing(User a, User b) {
    long d = 0;
    for (int i = 0; i < SOURCE_FIELDS.length; i++) {
      if (!SOURCE_FIELDS[i].equalIn(a, b)) {
        d |= SOURCE_BITS[i];
      }
    }
    if (!emailText(a).equals(emailText(b))) {
      d |= EMAIL_TEXT_PART;
    }
    if (!a.attributes().equals(b.attributes())) {
      d |= ATTRIBUTES_PART;
    }
    if (!a.updatedAt().equals(b.updatedAt())) {
      d |= UPDATED_AT_PART;
    }
    if (a.version() != b.version()) {
      d |= VERSION_PART;
    }
    return d;
  }

  private static Optional<String> emailText(User u) {
    return u.primaryEmail().map(EmailAddress::value);
  }

  private static final List<Column> COLUMNS = columns();

  /** The fields some column is worked out from, each compared once a row, and their bits. */
  private static final UserField[] SOURCE_FIELDS;

  private static final long[] SOURCE_BITS;

  static {
    long all = 0;
    for (Column c : COLUMNS) {
      all |= c.sources();
    }
    List<UserField> fields = new ArrayList<>();
    List<Long> bits = new ArrayList<>();
    for (int i = 0; i < FIELDS.length; i++) {
      if ((all & (1L << i)) != 0) {
        fields.add(FIELDS[i]);
        bits.add(1L << i);
      }
    }
    SOURCE_FIELDS = fields.toArray(UserField[]::new);
    SOURCE_BITS = bits.stream().mapToLong(Long::longValue).toArray();
  }

  static {
    // updateColumns takes the columns to set as the bits of a long
    if (COLUMNS.size() >= Long.SIZE) {
      throw new IllegalStateException("more columns than bits in a long");
    }
  }

  /** The index of the details digest among {@link #COLUMNS}. */
  private static final int DETAILS_HASH = columnIndex("details_hash");

  private static int columnIndex(String name) {
    for (int k = 0; k < COLUMNS.size(); k++) {
      if (COLUMNS.get(k).name().equals(name)) {
        return k;
      }
    }
    throw new IllegalStateException("no column " + name);
  }

  /** Every column, as {@link #updateColumns} takes them. */
  private static final long ALL_COLUMNS = (1L << COLUMNS.size()) - 1;

  private static final String INSERT;

  static {
    StringBuilder names = new StringBuilder("tenant_id, id, version, write_token");
    StringBuilder marks = new StringBuilder("?, ?, ?, ?");
    for (Column c : COLUMNS) {
      names.append(", ").append(c.name());
      marks.append(", ?");
    }
    INSERT = "INSERT INTO um_users (" + names + ") VALUES (" + marks + ")";
  }

  /**
   * PostgreSQL's insert of a batch: the tenant and write token, then one array a column ({@code
   * version} and {@code id} first, as {@link #bindArrays} binds them).
   */
  private static final String ARRAY_INSERT;

  static {
    StringBuilder names = new StringBuilder("tenant_id, id, version, write_token");
    StringBuilder select = new StringBuilder("?, v.id, v.version, ?");
    for (Column c : COLUMNS) {
      names.append(", ").append(c.name());
      select.append(", v.").append(c.name());
    }
    ARRAY_INSERT =
        "INSERT INTO um_users (" + names + ") SELECT " + select + " FROM " + unnest(ALL_COLUMNS);
  }

  /** The array updates built so far, by the columns they set (a few shapes in practice). */
  private static final java.util.concurrent.ConcurrentMap<Long, String> ARRAY_UPDATES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Beyond this many shapes, statements are built and not kept. */
  private static final int MAX_ARRAY_UPDATES = 256;

  private static String arrayUpdate(long mask) {
    String sql = ARRAY_UPDATES.get(mask);
    if (sql == null) {
      sql = buildArrayUpdate(mask);
      if (ARRAY_UPDATES.size() < MAX_ARRAY_UPDATES) {
        ARRAY_UPDATES.putIfAbsent(mask, sql);
      }
    }
    return sql;
  }

  /**
   * PostgreSQL's version-checked update of a chunk setting the columns of {@code mask}: the write
   * token, one array a column ({@code version} and {@code id} first), then the probes' versions and
   * ids as two arrays and the tenant twice.
   */
  private static String buildArrayUpdate(long mask) {
    StringBuilder arraySets = new StringBuilder("version = v.version, write_token = ?");
    for (int k = 0; k < COLUMNS.size(); k++) {
      if ((mask & (1L << k)) != 0) {
        String name = COLUMNS.get(k).name();
        arraySets.append(", ").append(name).append(" = v.").append(name);
      }
    }
    // Each row's physical address is found by one probe of the primary key (a lateral subquery
    // the planner cannot flatten), and the update reads only the rows at those addresses (one TID
    // scan, in the table's order) and joins them with their new values. The addresses bound what
    // is read: the chunk joined with the table by id alone, a planner without statistics hashed
    // the chunk and read the whole tenant for it. A row rewritten meanwhile has moved off its
    // address, so it is not updated (PostgreSQL's commit "Add missing EPQ recheck for TID Scan",
    // back-patched to 13, checks the new version's address again); the version and id are checked
    // again as well, so a row whose version rose is never written, on a release before it too.
    return "UPDATE um_users u SET "
        + arraySets
        + " FROM "
        + unnest(mask)
        + " WHERE u.ctid = ANY(ARRAY(SELECT t.target FROM"
        + " unnest(CAST(? AS bigint[]), CAST(? AS text[])) AS k(version, id)"
        + " CROSS JOIN LATERAL (SELECT x.ctid AS target FROM um_users x"
        + " WHERE x.tenant_id = ? AND x.id = k.id AND x.version = k.version - 1 OFFSET 0) t))"
        + " AND u.tenant_id = ? AND u.id = v.id AND u.version = v.version - 1 RETURNING u.id";
  }

  /**
   * The rows of {@link #bindArrays} as a table {@code v}: {@code unnest} of one typed array a
   * column, {@code version} and {@code id} first, then the columns of {@code mask}.
   */
  private static String unnest(long mask) {
    StringBuilder arrays =
        new StringBuilder("CAST(? AS ")
            .append(ArrayType.INT8.cast)
            .append("[]), CAST(? AS ")
            .append(ArrayType.TEXT.cast)
            .append("[])");
    StringBuilder names = new StringBuilder("version, id");
    for (int k = 0; k < COLUMNS.size(); k++) {
      if ((mask & (1L << k)) != 0) {
        Column c = COLUMNS.get(k);
        arrays.append(", CAST(? AS ").append(ArrayType.of(c.type()).cast).append("[])");
        names.append(", ").append(c.name());
      }
    }
    return "unnest(" + arrays + ") AS v(" + names + ")";
  }

  private final JdbcBackend db;
  private final SchemaGuesses schemas = new SchemaGuesses();
  private volatile boolean skeletonsFilled;

  JdbcUserStore(JdbcBackend db) {
    this.db = db;
  }

  @Override
  public int maxBatchSize() {
    return db.batchSize;
  }

  private static List<Column> columns() {
    List<Column> c = new ArrayList<>();
    c.add(
        new Column(
            "email_key",
            Types.VARCHAR,
            u -> u.primaryEmail().map(EmailAddress::key).orElse(null),
            parts(UserField.PRIMARY_EMAIL)));
    c.add(
        new Column(
            "email_skeleton_sha256",
            Types.VARCHAR,
            u -> u.primaryEmail().map(e -> skeletonHash(e.skeleton())).orElse(null),
            parts(UserField.PRIMARY_EMAIL)));
    c.add(
        new Column(
            "email_fold",
            Types.VARCHAR,
            u -> u.primaryEmail().map(e -> Texts.fold(e.value())).orElse(null),
            // addresses are equal by identity key; the fold is of the address as written
            EMAIL_TEXT_PART));
    c.add(
        new Column(
            "employee_id",
            Types.VARCHAR,
            u -> u.employeeId().orElse(null),
            parts(UserField.EMPLOYEE_ID)));
    c.add(
        new Column(
            "employee_id_key",
            Types.VARCHAR,
            u -> fold(u.employeeId()),
            parts(UserField.EMPLOYEE_ID)));
    c.add(
        new Column(
            "manager_id",
            Types.VARCHAR,
            u -> u.managerId().map(UserId::value).orElse(null),
            parts(UserField.MANAGER_ID)));
    c.add(new Column("status", Types.VARCHAR, u -> u.status().name(), parts(UserField.STATUS)));
    c.add(
        new Column("status_rank", Types.INTEGER, u -> u.status().rank(), parts(UserField.STATUS)));
    c.add(new Column("role_key", Types.VARCHAR, u -> u.role().key(), parts(UserField.ROLE)));
    c.add(new Column("role_level", Types.INTEGER, u -> u.role().level(), parts(UserField.ROLE)));
    c.add(
        new Column(
            "display_name", Types.VARCHAR, User::displayName, parts(UserField.DISPLAY_NAME)));
    c.add(
        new Column(
            "display_key",
            Types.VARCHAR,
            u -> Texts.fold(u.displayName()),
            parts(UserField.DISPLAY_NAME)));
    c.add(
        new Column(
            "first_key", Types.VARCHAR, u -> fold(u.firstName()), parts(UserField.FIRST_NAME)));
    c.add(
        new Column("last_key", Types.VARCHAR, u -> fold(u.lastName()), parts(UserField.LAST_NAME)));
    c.add(
        new Column(
            "username_key", Types.VARCHAR, u -> fold(u.username()), parts(UserField.USERNAME)));
    c.add(
        new Column(
            "phone",
            Types.VARCHAR,
            u -> u.phoneNumber().map(p -> p.e164()).orElse(null),
            parts(UserField.PHONE_NUMBER)));
    c.add(
        new Column(
            "job_title",
            Types.VARCHAR,
            u -> u.jobTitle().orElse(null),
            parts(UserField.JOB_TITLE)));
    c.add(
        new Column(
            "job_title_key", Types.VARCHAR, u -> fold(u.jobTitle()), parts(UserField.JOB_TITLE)));
    c.add(
        new Column(
            "job_position",
            Types.VARCHAR,
            u -> u.position().orElse(null),
            parts(UserField.POSITION)));
    c.add(
        new Column(
            "job_position_key", Types.VARCHAR, u -> fold(u.position()), parts(UserField.POSITION)));
    c.add(
        new Column(
            "department",
            Types.VARCHAR,
            u -> u.department().orElse(null),
            parts(UserField.DEPARTMENT)));
    c.add(
        new Column(
            "department_key",
            Types.VARCHAR,
            u -> fold(u.department()),
            parts(UserField.DEPARTMENT)));
    c.add(
        new Column(
            "company", Types.VARCHAR, u -> u.company().orElse(null), parts(UserField.COMPANY)));
    c.add(
        new Column("company_key", Types.VARCHAR, u -> fold(u.company()), parts(UserField.COMPANY)));
    c.add(
        new Column(
            "location", Types.VARCHAR, u -> u.location().orElse(null), parts(UserField.LOCATION)));
    c.add(
        new Column(
            "location_key", Types.VARCHAR, u -> fold(u.location()), parts(UserField.LOCATION)));
    c.add(
        new Column("office", Types.VARCHAR, u -> u.office().orElse(null), parts(UserField.OFFICE)));
    c.add(new Column("office_key", Types.VARCHAR, u -> fold(u.office()), parts(UserField.OFFICE)));
    c.add(
        new Column(
            "user_type",
            Types.VARCHAR,
            u -> u.userType().orElse(null),
            parts(UserField.USER_TYPE)));
    c.add(
        new Column(
            "user_type_key", Types.VARCHAR, u -> fold(u.userType()), parts(UserField.USER_TYPE)));
    c.add(
        new Column(
            "language_key", Types.VARCHAR, u -> fold(u.language()), parts(UserField.LANGUAGE)));
    c.add(
        new Column(
            "password_state_key",
            Types.VARCHAR,
            u -> Texts.fold(u.passwordState().name()),
            parts(UserField.PASSWORD_STATE)));
    c.add(
        new Column(
            "hire_date", Types.DATE, u -> u.hireDate().orElse(null), parts(UserField.HIRE_DATE)));
    c.add(
        new Column(
            "deactivated_at",
            Types.BIGINT,
            u -> nanos(u.deactivatedAt()),
            parts(UserField.DEACTIVATED_AT)));
    c.add(
        new Column(
            "last_activity_at",
            Types.BIGINT,
            u -> nanos(u.lastActivityAt()),
            parts(UserField.LAST_ACTIVITY_AT)));
    c.add(
        new Column(
            "last_login_at",
            Types.BIGINT,
            u -> nanos(u.lastLoginAt()),
            parts(UserField.LAST_LOGIN_AT)));
    c.add(
        new Column(
            "invited_at", Types.BIGINT, u -> nanos(u.invitedAt()), parts(UserField.INVITED_AT)));
    c.add(
        new Column(
            "invite_scheduled_at",
            Types.BIGINT,
            u -> nanos(u.inviteScheduledAt()),
            parts(UserField.INVITE_SCHEDULED_AT)));
    c.add(
        new Column(
            "activation_scheduled_at",
            Types.BIGINT,
            u -> nanos(u.activationScheduledAt()),
            parts(UserField.ACTIVATION_SCHEDULED_AT)));
    c.add(
        new Column(
            "created_at",
            Types.BIGINT,
            u -> Times.nanos(u.createdAt()),
            parts(UserField.CREATED_AT)));
    c.add(new Column("updated_at", Types.BIGINT, u -> Times.nanos(u.updatedAt()), UPDATED_AT_PART));
    c.add(
        new Column(
            "skills_count", Types.INTEGER, User::skillsCount, parts(UserField.SKILLS_COUNT)));
    c.add(
        new Column(
            "taking_a_break", Types.BOOLEAN, User::takingABreak, parts(UserField.TAKING_A_BREAK)));
    c.add(new Column("locked_out", Types.BOOLEAN, User::lockedOut, parts(UserField.LOCKED_OUT)));
    c.add(
        new Column(
            "mfa_required", Types.BOOLEAN, User::mfaRequired, parts(UserField.MFA_REQUIRED)));
    // whole: the value model keeps each part's folded key within its field's length (at most 3,330)
    c.add(
        new Column(
            "search_text",
            Types.VARCHAR,
            SearchText::of,
            parts(SearchText.FIELDS.toArray(UserField[]::new))));
    c.add(
        new Column(
            "details_hash",
            Types.VARCHAR,
            JdbcUserStore::detailsHash,
            parts(UserField.MODULES, UserField.GROUPS) | ATTRIBUTES_PART));
    // rewritten on every update: its source is the version, which every update changes
    c.add(new Column("doc", Types.VARCHAR, UserCodec::encode, VERSION_PART));
    return List.copyOf(c);
  }

  /**
   * A digest of the rows a user has in the detail tables (modules, groups, custom attributes): an
   * update rewrites those rows only when it changes.
   */
  static String detailsHash(User u) {
    if (u.modules().isEmpty() && u.groups().isEmpty() && u.attributes().isEmpty()) {
      return NO_DETAILS_HASH;
    }
    return hash(u);
  }

  private static String hash(User u) {
    StringBuilder b = new StringBuilder();
    u.modules().forEach(m -> b.append("m|").append(m).append('\n'));
    u.groups().forEach(g -> b.append("g|").append(g).append('\n'));
    new java.util.TreeMap<>(u.attributes())
        .forEach(
            (k, v) ->
                b.append("a|")
                    .append(k)
                    .append('|')
                    .append(v.type())
                    .append('|')
                    .append(v.canonical())
                    .append('\n'));
    return com.google.common.hash.Hashing.sha256().hashString(b, StandardCharsets.UTF_8).toString();
  }

  /** The digest of a user without modules, groups or custom attributes. */
  private static final String NO_DETAILS_HASH =
      com.google.common.hash.Hashing.sha256().hashString("", StandardCharsets.UTF_8).toString();

  private static @Nullable String fold(Optional<String> s) {
    return s.map(Texts::fold).orElse(null);
  }

  private static @Nullable Long nanos(Optional<Instant> t) {
    return t.map(Times::nanos).orElse(null);
  }

  // ------------------------------------------------------------------ reading

  private List<User> users(TenantId tenant, PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return users(tenant, rs);
    }
  }

  private List<User> users(TenantId tenant, ResultSet rs) throws SQLException {
    List<User> out = new ArrayList<>();
    while (rs.next()) {
      out.add(UserCodec.decode(tenant, rs.getString(1), rs.getLong(2), rs.getString(3), db.roles));
    }
    return out;
  }

  @Override
  public Optional<User> get(TenantId tenant, UserId id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, version, doc FROM um_users WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id.value());
            List<User> u = users(tenant, ps);
            return u.isEmpty() ? Optional.empty() : Optional.of(u.get(0));
          }
        });
  }

  private List<User> byKeys(TenantId tenant, String column, List<String> keys, String order)
      throws SQLException {
    return byKeys(tenant, column, keys, List.of(), order);
  }

  /** The users whose column holds one of some keys, but for the users of some ids. */
  private List<User> byKeys(
      TenantId tenant, String column, List<String> keys, List<String> exceptIds, String order)
      throws SQLException {
    if (keys.isEmpty()) {
      return List.of();
    }
    return db.read(
        c -> {
          String sql =
              db.dialect.selectByKeys(
                      "u.id, u.version, u.doc",
                      "um_users",
                      column,
                      exceptIds.isEmpty() ? "" : db.dialect.notAmong("u.id", exceptIds.size()),
                      keys.size())
                  + order;
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = db.dialect.bindKeyLookup(ps, keys, tenant.value());
            if (!exceptIds.isEmpty()) {
              db.dialect.bindKeys(ps, next, exceptIds);
            }
            return users(tenant, ps);
          }
        });
  }

  private void checkBatch(Collection<?> keys) {
    if (keys.size() > maxBatchSize()) {
      throw new IllegalArgumentException(
          "batch of " + keys.size() + " keys exceeds maxBatchSize " + maxBatchSize());
    }
  }

  @Override
  public Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids) {
    checkBatch(ids);
    return call(
        () -> {
          // the rows are exactly the users asked for: no second map in the order of the ids
          List<User> users =
              byKeys(tenant, "id", ids.stream().map(UserId::value).distinct().toList(), "");
          Map<UserId, User> found = Maps.newHashMapWithExpectedSize(users.size());
          users.forEach(u -> found.put(u.id(), u));
          return found;
        });
  }

  @Override
  public Map<String, User> findByEmails(TenantId tenant, Collection<EmailAddress> emails) {
    checkBatch(emails);
    return call(
        () -> {
          // the rows are exactly the users asked for: no second map in the order of the e-mails
          List<User> users =
              byKeys(
                  tenant,
                  "email_key",
                  emails.stream().map(e -> db.dialect.storedKey(e.key())).distinct().toList(),
                  "");
          Map<String, User> found = Maps.newHashMapWithExpectedSize(users.size());
          users.forEach(u -> found.put(u.primaryEmail().orElseThrow().key(), u));
          return found;
        });
  }

  @Override
  public Map<String, UserSummary> findSummariesByEmails(
      TenantId tenant, Collection<EmailAddress> emails) {
    checkBatch(emails);
    if (emails.isEmpty()) {
      return Map.of();
    }
    // the key of each address in the form the column holds; a row found maps back to its key by
    // its form, through a map of the forms that differ from their keys (only H2's may)
    List<String> stored = new ArrayList<>(emails.size());
    Map<String, String> keys = new HashMap<>();
    for (EmailAddress e : emails) {
      String form = db.dialect.storedKey(e.key());
      if (!form.equals(e.key())) {
        keys.putIfAbsent(form, e.key());
      }
      stored.add(form);
    }
    return db.read(
        c -> {
          String sql =
              db.dialect.selectByKeys(
                  "u.id, u.version, u.email_key, u.doc", "email_key", stored.size());
          Map<String, UserSummary> found = Maps.newHashMapWithExpectedSize(stored.size());
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            db.dialect.bindKeyLookup(ps, stored, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String form = rs.getString(3);
                String key = keys.getOrDefault(form, form);
                found.put(key, UserCodec.summary(rs.getString(1), rs.getLong(2), rs.getString(4)));
              }
            }
          }
          return found;
        });
  }

  @Override
  public Map<String, List<User>> findByEmailSkeletons(
      TenantId tenant, Collection<String> skeletons) {
    return bySkeletons(tenant, skeletons, List.of());
  }

  /**
   * Leaves the users out in the query while they and the skeletons make one batch of keys (so a
   * statement binds no more values than any batched lookup); more are dropped from the answer.
   */
  @Override
  public Map<String, List<User>> findByEmailSkeletons(
      TenantId tenant, Collection<String> skeletons, Set<UserId> except) {
    if (except.size() + skeletons.size() > maxBatchSize()) {
      return UserStore.super.findByEmailSkeletons(tenant, skeletons, except);
    }
    return bySkeletons(tenant, skeletons, except.stream().map(UserId::value).toList());
  }

  private Map<String, List<User>> bySkeletons(
      TenantId tenant, Collection<String> skeletons, List<String> except) {
    checkBatch(skeletons);
    return call(
        () -> {
          fillSkeletons();
          Map<String, List<User>> found = new LinkedHashMap<>();
          for (User u :
              byKeys(
                  tenant,
                  "email_skeleton_sha256",
                  skeletons.stream().distinct().map(JdbcUserStore::skeletonHash).toList(),
                  except,
                  " ORDER BY u.id")) {
            // the hash finds the rows; the skeleton itself decides
            found
                .computeIfAbsent(u.primaryEmail().orElseThrow().skeleton(), k -> new ArrayList<>())
                .add(u);
          }
          Map<String, List<User>> out = new LinkedHashMap<>();
          for (String s : skeletons) {
            List<User> u = found.get(s);
            if (u != null) {
              out.put(s, List.copyOf(u));
            }
          }
          return out;
        });
  }

  /** The column form of a skeleton: the hex SHA-256 of its UTF-8 bytes, 64 characters. */
  static String skeletonHash(String skeleton) {
    return com.google.common.hash.Hashing.sha256()
        .hashString(skeleton, StandardCharsets.UTF_8)
        .toString();
  }

  /**
   * Gives the rows written before migration V5 their e-mail skeleton: once per store, in chunks,
   * before the first skeleton lookup. Those rows hold their {@code email_key} as the key itself
   * (the dialect's key form applies to it from this version on).
   */
  private void fillSkeletons() throws SQLException {
    if (skeletonsFilled) {
      return;
    }
    db.tx(
        c -> {
          while (true) {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT tenant_id, id, email_key FROM um_users WHERE email_key IS NOT NULL"
                        + " AND email_skeleton_sha256 IS NULL ORDER BY tenant_id, id LIMIT ?")) {
              ps.setInt(1, maxBatchSize());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
              }
            }
            if (rows.isEmpty()) {
              return Boolean.TRUE;
            }
            try (PreparedStatement up =
                c.prepareStatement(
                    "UPDATE um_users SET email_skeleton_sha256 = ? WHERE tenant_id = ? AND id = ?")) {
              for (String[] r : rows) {
                up.setString(1, skeletonHash(EmailAddress.skeletonOf(r[2])));
                up.setString(2, r[0]);
                up.setString(3, r[1]);
                up.addBatch();
              }
              up.executeBatch();
            }
          }
        });
    skeletonsFilled = true;
  }

  @Override
  public Map<String, List<User>> findByEmployeeIds(
      TenantId tenant, Collection<String> employeeIds) {
    checkBatch(employeeIds);
    return call(
        () -> {
          Map<String, List<User>> found = new LinkedHashMap<>();
          for (User u :
              byKeys(
                  tenant,
                  "employee_id",
                  employeeIds.stream().distinct().toList(),
                  " ORDER BY u.id")) {
            found.computeIfAbsent(u.employeeId().orElseThrow(), k -> new ArrayList<>()).add(u);
          }
          Map<String, List<User>> out = new LinkedHashMap<>();
          for (String e : employeeIds) {
            List<User> u = found.get(e);
            if (u != null) {
              out.put(e, List.copyOf(u));
            }
          }
          return out;
        });
  }

  @Override
  public List<User> findByManagers(TenantId tenant, Collection<UserId> managers) {
    checkBatch(managers);
    return call(
        () ->
            byKeys(
                tenant,
                "manager_id",
                managers.stream().map(UserId::value).distinct().toList(),
                " ORDER BY u.id"));
  }

  /**
   * Ranges of a schedule's index {@code (tenant_id, <schedule>, id)}: the due users after a
   * position, in its order. After a position the page is two ranges, each read in the index's own
   * order up to the limit: the users at the position's time with a greater id, then those of a
   * later time still due. As one condition ({@code t > ? OR (t = ? AND id > ?)}, or {@code t >= ?}
   * with it) PostgreSQL and H2 read from the tenant's first due user (or the position's first user
   * of its time) and dropped every row before the position, which are the users whose moves failed;
   * and a file schedules all its users at one time.
   */
  @Override
  public List<User> findDue(
      TenantId tenant, Schedule schedule, Instant dueBy, Optional<DuePosition> after, int limit) {
    Checks.positive(limit, "limit");
    if (after.isPresent() && after.get().at().isAfter(dueBy)) {
      return List.of();
    }
    String column =
        schedule == Schedule.ACTIVATION ? "activation_scheduled_at" : "invite_scheduled_at";
    String later =
        "SELECT id, version, doc, "
            + column
            + " AS due FROM um_users WHERE tenant_id = ? AND "
            + column
            + (after.isPresent() ? " > ? AND " + column : "")
            + " <= ? ORDER BY "
            + column
            + ", id LIMIT ?";
    String sql =
        after.isEmpty()
            ? later
            : "SELECT id, version, doc, due FROM ((SELECT id, version, doc, "
                + column
                + " AS due FROM um_users WHERE tenant_id = ? AND "
                + column
                + " = ? AND id > ? ORDER BY id LIMIT ?) UNION ALL ("
                + later
                + ")) page ORDER BY due, id LIMIT ?";
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after.isPresent()) {
              ps.setString(i++, tenant.value());
              ps.setLong(i++, Times.nanos(after.get().at()));
              ps.setString(i++, after.get().id().value());
              ps.setInt(i++, limit);
            }
            ps.setString(i++, tenant.value());
            if (after.isPresent()) {
              ps.setLong(i++, Times.nanos(after.get().at()));
            }
            ps.setLong(i++, Times.nanos(dueBy));
            ps.setInt(i++, limit);
            if (after.isPresent()) {
              ps.setInt(i, limit);
            }
            return users(tenant, ps);
          }
        });
  }

  @Override
  public List<User> scan(TenantId tenant, Optional<UserId> after, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, version, doc FROM um_users WHERE tenant_id = ? AND id > ? ORDER BY id"
                      + " LIMIT ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, after.map(UserId::value).orElse(""));
            ps.setInt(3, limit);
            return users(tenant, ps);
          }
        });
  }

  @Override
  public long countByStatus(TenantId tenant, Set<UserStatus> statuses) {
    if (statuses.isEmpty()) {
      return 0;
    }
    return db.read(
        c -> {
          String in = "?,".repeat(statuses.size() - 1) + "?";
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM um_users WHERE tenant_id = ? AND status IN (" + in + ")")) {
            ps.setString(1, tenant.value());
            int i = 2;
            for (UserStatus s : statuses) {
              ps.setString(i++, s.name());
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  // ------------------------------------------------------------------ queries

  @Override
  public List<User> query(TenantId tenant, PreparedQuery query) {
    List<Sql> parts = SqlTranslator.select(query, tenant, db.dialect);
    return reading(
        parts,
        c -> {
          List<User> page = new ArrayList<>();
          try {
            for (Sql sql : parts) {
              if (page.size() >= query.limit()) {
                break;
              }
              try (PreparedStatement ps = prepare(c, sql)) {
                page.addAll(users(tenant, ps));
              }
            }
          } finally {
            clearIdSets(c, parts);
          }
          return page.size() > query.limit() ? page.subList(0, query.limit()) : page;
        });
  }

  /**
   * The schema and the page in one request on PostgreSQL, whose driver sends the statements of one
   * {@code PreparedStatement} together and reads their results after one synchronisation (and in
   * autocommit, with no {@code BEGIN} or {@code COMMIT}): the query is prepared from the
   * definitions the tenant's last page was read with, and the same request reads the definitions as
   * they are. A page whose guess was right is returned; otherwise the query is prepared again from
   * the definitions just read and its page read again. Without a guess, for a query of several
   * statements, with another database (MariaDB's driver sends several statements only when the
   * host's URL allows it) or with another store's definitions, the definitions are read first, then
   * the page.
   */
  @Override
  public SchemaPage query(
      TenantId tenant,
      AttributeDefinitionStore attributes,
      Function<AttributeSchema, PreparedQuery> prepare) {
    boolean together =
        db.dialect == Dialect.POSTGRESQL
            && attributes instanceof JdbcAttributeStore own
            && own.over(db);
    Optional<List<AttributeDefinition>> guess = together ? schemas.guess(tenant) : Optional.empty();
    if (guess.isPresent()) {
      AttributeSchema guessed = AttributeSchema.of(guess.get());
      Optional<PreparedQuery> query = preparedOrEmpty(prepare, guessed);
      if (query.isPresent()) {
        PreparedQuery q = query.get();
        List<Sql> parts = SqlTranslator.select(q, tenant, db.dialect);
        if (parts.size() == 1 && parts.get(0).before().isEmpty()) {
          SchemaAndRows read = db.read(c -> schemaAndRows(c, tenant, parts.get(0)));
          schemas.remember(tenant, read.definitions());
          if (read.definitions().equals(guess.get())) {
            return new SchemaPage(guessed, q, limited(read.rows(), q));
          }
          return page(tenant, AttributeSchema.of(read.definitions()), prepare);
        }
      }
    }
    List<AttributeDefinition> definitions = attributes.list(tenant);
    if (together) {
      schemas.remember(tenant, definitions);
    }
    return page(tenant, AttributeSchema.of(definitions), prepare);
  }

  private SchemaPage page(
      TenantId tenant, AttributeSchema schema, Function<AttributeSchema, PreparedQuery> prepare) {
    PreparedQuery query = prepare.apply(schema);
    return new SchemaPage(schema, query, query(tenant, query));
  }

  /**
   * The query for a guessed schema, or empty when the guess made it fail (the real one may not).
   */
  private static Optional<PreparedQuery> preparedOrEmpty(
      Function<AttributeSchema, PreparedQuery> prepare, AttributeSchema guessed) {
    try {
      return Optional.of(prepare.apply(guessed));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The definitions and the rows of one request. */
  private record SchemaAndRows(List<AttributeDefinition> definitions, List<User> rows) {}

  /** Reads the tenant's definitions and a query's one statement with one request. */
  private SchemaAndRows schemaAndRows(Connection c, TenantId tenant, Sql page) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(JdbcAttributeStore.LIST + ";\n" + page.text())) {
      ps.setString(1, tenant.value());
      bind(ps, 2, page.params());
      ps.execute();
      List<AttributeDefinition> definitions;
      try (ResultSet rs = ps.getResultSet()) {
        definitions = JdbcAttributeStore.list(rs);
      }
      if (!ps.getMoreResults()) {
        throw new SQLException("the page's statement returned no rows");
      }
      try (ResultSet rs = ps.getResultSet()) {
        return new SchemaAndRows(definitions, users(tenant, rs));
      }
    }
  }

  private static List<User> limited(List<User> rows, PreparedQuery query) {
    return rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
  }

  @Override
  public long count(TenantId tenant, PreparedQuery query) {
    Sql sql = SqlTranslator.count(query, tenant, db.dialect);
    return reading(
        List.of(sql),
        c -> {
          try (PreparedStatement ps = prepare(c, sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          } finally {
            clearIdSets(c, List.of(sql));
          }
        });
  }

  @Override
  public List<String> distinctValues(
      TenantId tenant, QueryAttribute attribute, String prefix, int limit) {
    String raw =
        switch (attribute.name()) {
          case "department" -> "department";
          case "company" -> "company";
          case "location" -> "location";
          case "office" -> "office";
          case "jobTitle" -> "job_title";
          case "position" -> "job_position";
          case "userType" -> "user_type";
          case "employeeId" -> "employee_id";
          case "displayName" -> "display_name";
          default ->
              throw new InvalidInputException(
                  Problem.ofField(
                      ErrorCode.INVALID_QUERY,
                      "attribute",
                      attribute.name() + " has no values to suggest"));
        };
    String key = raw.equals("display_name") ? "display_key" : raw + "_key";
    SqlTranslator.PrefixMatch starts =
        SqlTranslator.startsWith(db.dialect, key, Texts.fold(prefix));
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  db.dialect.sortingWholeKeys(
                      "SELECT DISTINCT "
                          + key
                          + ", "
                          + raw
                          + " FROM um_users WHERE tenant_id = ? AND "
                          + starts.sql()
                          + " ORDER BY "
                          + key
                          + ", "
                          + raw
                          + " LIMIT ?"))) {
            int i = 1;
            ps.setString(i++, tenant.value());
            for (String p : starts.params()) {
              ps.setString(i++, db.dialect.storedKey(p));
            }
            ps.setInt(i, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(2));
              }
            }
            return out;
          }
        });
  }

  @Override
  public List<User> suggestUsers(TenantId tenant, String prefix, int limit) {
    String folded = Texts.fold(prefix);
    // a name, a first or last name or an address starting with the prefix, or a later word of the
    // name starting with it
    List<SqlTranslator.PrefixMatch> starts =
        Stream.of("display_key", "first_key", "last_key", "email_fold")
            .map(column -> SqlTranslator.startsWith(db.dialect, column, folded))
            .toList();
    StringBuilder where = new StringBuilder("display_key LIKE ? ESCAPE '!'");
    starts.forEach(m -> where.append(" OR ").append(m.sql()));
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  db.dialect.sortingWholeKeys(
                      "SELECT id, version, doc FROM um_users WHERE tenant_id = ? AND ("
                          + where
                          + ") ORDER BY display_key, id LIMIT ?"))) {
            int i = 1;
            ps.setString(i++, tenant.value());
            ps.setString(i++, db.dialect.storedKey("% " + SqlTranslator.escapeLike(folded) + "%"));
            for (SqlTranslator.PrefixMatch m : starts) {
              for (String p : m.params()) {
                ps.setString(i++, db.dialect.storedKey(p));
              }
            }
            ps.setInt(i, limit);
            return users(tenant, ps);
          }
        });
  }

  /**
   * Runs a query's statements: one statement alone as a read of one statement ({@link
   * JdbcBackend#read}, autocommit); several — the parts of a split query, or a statement and the
   * sets of ids it reads (H2's {@code um_filter_ids}, which live in the transaction) — in one
   * transaction, so that they see one state of the database.
   */
  private <T> T reading(List<Sql> statements, JdbcBackend.SqlWork<T> work) {
    boolean one = statements.size() == 1 && statements.get(0).before().isEmpty();
    return one ? db.read(work) : db.tx(work);
  }

  /** Runs what a statement needs first ({@link Sql#before}), then prepares and binds it. */
  private static PreparedStatement prepare(Connection c, Sql sql) throws SQLException {
    for (Sql first : sql.before()) {
      try (PreparedStatement ps = c.prepareStatement(first.text())) {
        bind(ps, first.params());
        ps.executeUpdate();
      }
    }
    PreparedStatement ps = c.prepareStatement(sql.text());
    try {
      bind(ps, sql.params());
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }

  /** Empties the sets of ids the statements made, so a pooled connection keeps none. */
  private static void clearIdSets(Connection c, List<Sql> statements) throws SQLException {
    if (statements.stream().anyMatch(s -> !s.before().isEmpty())) {
      try (PreparedStatement ps = c.prepareStatement(SqlTranslator.CLEAR_ID_SETS)) {
        ps.executeUpdate();
      }
    }
  }

  static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    bind(ps, 1, params);
  }

  /** Binds values from a parameter index on. */
  static void bind(PreparedStatement ps, int first, List<Object> params) throws SQLException {
    int i = first;
    for (Object p : params) {
      set(ps, i++, p);
    }
  }

  /** Binds a value of one of the types the store writes. */
  private static void set(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof String s) {
      ps.setString(i, s);
    } else if (p instanceof Integer n) {
      ps.setInt(i, n);
    } else if (p instanceof Long n) {
      ps.setLong(i, n);
    } else if (p instanceof BigDecimal d) {
      ps.setBigDecimal(i, d);
    } else if (p instanceof Boolean b) {
      ps.setBoolean(i, b);
    } else if (p instanceof LocalDate d) {
      ps.setObject(i, d);
    } else {
      throw new IllegalArgumentException("unsupported parameter " + p.getClass());
    }
  }

  // ------------------------------------------------------------------ re-deriving

  /**
   * Works every column kept beside each stored user's document out again from the document, and
   * writes its modules, groups and custom attributes' rows again: see {@link
   * JdbcStores#rederive(javax.sql.DataSource, JdbcOptions)}. Each chunk of a tenant's users, in id
   * order, is one transaction that locks the users it reads, so a write at the same time waits for
   * it or is waited for; versions, write tokens and documents are left as they are.
   *
   * @return how many users were rewritten
   */
  long rederive() {
    List<String> tenants =
        db.read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT DISTINCT tenant_id FROM um_users ORDER BY tenant_id");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(rs.getString(1));
                }
              }
              return out;
            });
    long done = 0;
    for (String t : tenants) {
      TenantId tenant = TenantId.of(t);
      String after = "";
      while (true) {
        String from = after;
        List<User> chunk = db.tx(c -> rederiveChunk(c, tenant, from));
        if (chunk.isEmpty()) {
          break;
        }
        done += chunk.size();
        after = chunk.get(chunk.size() - 1).id().value();
      }
    }
    return done;
  }

  /** The next chunk of a tenant's users after an id, locked, with every derived row rewritten. */
  private List<User> rederiveChunk(Connection c, TenantId tenant, String after)
      throws SQLException {
    List<User> users;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, version, doc FROM um_users WHERE tenant_id = ? AND id > ? ORDER BY id"
                + " LIMIT ? FOR UPDATE")) {
      ps.setString(1, tenant.value());
      ps.setString(2, after);
      ps.setInt(3, maxBatchSize());
      users = users(tenant, ps);
    }
    if (users.isEmpty()) {
      return users;
    }
    StringBuilder sql = new StringBuilder("UPDATE um_users SET ");
    List<Column> derived = COLUMNS.stream().filter(col -> !col.name().equals("doc")).toList();
    for (int k = 0; k < derived.size(); k++) {
      sql.append(k == 0 ? "" : ", ").append(derived.get(k).name()).append(" = ?");
    }
    sql.append(" WHERE tenant_id = ? AND id = ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (User u : users) {
        int i = 1;
        for (Column col : derived) {
          bind(ps, i++, col.type(), col.of(u, db.dialect));
        }
        ps.setString(i++, tenant.value());
        ps.setString(i, u.id().value());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    writeDetails(c, tenant, users, true);
    return users;
  }

  // ------------------------------------------------------------------ writing

  @Override
  public void insert(TenantId tenant, List<User> users) {
    if (users.isEmpty()) {
      return;
    }
    for (User u : users) {
      Checks.sameTenant(tenant, u);
      Checks.storedVersion(u);
    }
    db.tx(
        c -> {
          String token = UUID.randomUUID().toString();
          if (db.dialect == Dialect.POSTGRESQL) {
            insertFromArrays(c, tenant, users, token);
            writeDetails(c, tenant, users, false);
            return users.size();
          }
          try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (User u : users) {
              ps.setString(1, tenant.value());
              ps.setString(2, u.id().value());
              ps.setLong(3, u.version());
              ps.setString(4, token);
              bindColumns(ps, 5, u);
              ps.addBatch();
            }
            ps.executeBatch();
          } catch (java.sql.BatchUpdateException e) {
            throw JdbcBackend.translate(e);
          }
          writeDetails(c, tenant, users, false);
          return users.size();
        });
  }

  @Override
  public void update(TenantId tenant, List<User> users) {
    write(tenant, users, Optional.empty());
  }

  /**
   * Knowing the stored users, each row sets only the columns whose sources differ from the stored
   * user's (see {@link Column}), and the details tables are rewritten only when modules, groups or
   * attributes changed: the stored values of the other columns are those of {@code before}, which
   * the version check proves current. Without {@code before} every column is set and the details
   * digests are read first.
   */
  @Override
  public void update(TenantId tenant, List<User> before, List<User> after) {
    Checks.pairs(before, after);
    write(tenant, after, Optional.of(before));
  }

  /** An update, with or without the stored users it replaces. */
  private void write(TenantId tenant, List<User> after, Optional<List<User>> before) {
    if (after.isEmpty()) {
      return;
    }
    after.forEach(u -> Checks.sameTenant(tenant, u));
    db.tx(
        c -> {
          java.util.Set<UserId> seen = new java.util.HashSet<>();
          for (User u : after) {
            if (!seen.add(u.id())) {
              // the second write of a user in one update could only be stale
              throw conflict(c, tenant, u.id(), u.version() - 1);
            }
          }
          List<Row> rows = new ArrayList<>(after.size());
          List<User> changedDetails = new ArrayList<>();
          if (before.isPresent()) {
            for (int i = 0; i < after.size(); i++) {
              Row row = new Row(before.get().get(i), after.get(i), db.dialect);
              rows.add(row);
              if ((row.changed & (1L << DETAILS_HASH)) != 0) {
                changedDetails.add(row.user);
              }
            }
          } else {
            Map<String, String> stored =
                columnById(
                    c,
                    db.dialect,
                    tenant,
                    after.stream().map(u -> u.id().value()).toList(),
                    "details_hash",
                    ResultSet::getString,
                    "");
            for (User u : after) {
              Row row = new Row(u, db.dialect);
              rows.add(row);
              if (!java.util.Objects.equals(row.value(DETAILS_HASH), stored.get(u.id().value()))) {
                changedDetails.add(u);
              }
            }
          }
          String token = UUID.randomUUID().toString();
          if (db.dialect == Dialect.POSTGRESQL) {
            updateFromArrays(c, tenant, rows, token);
          } else {
            updateChangedColumns(c, tenant, rows, token);
          }
          if (!changedDetails.isEmpty()) {
            writeDetails(c, tenant, changedDetails, true);
          }
          return after.size();
        });
  }

  /** A user to write, with the columns it sets and their values, each worked out at most once. */
  private static final class Row {
    /** A value not worked out yet. */
    private static final Object UNSET = new Object();

    final User user;
    private final Dialect dialect;
    private final @Nullable Object[] values;

    /** The columns to set, as a bit a column. */
    final long changed;

    /** Every column of a user. */
    Row(User user, Dialect dialect) {
      this.user = user;
      this.dialect = dialect;
      this.values = new Object[COLUMNS.size()];
      java.util.Arrays.fill(values, UNSET);
      this.changed = ALL_COLUMNS;
    }

    /**
     * The columns of {@code after} one of whose sources differs from the stored {@code before}'s.
     */
    Row(User before, User after, Dialect dialect) {
      this.user = after;
      this.dialect = dialect;
      this.values = new Object[COLUMNS.size()];
      long mask = 0;
      long differ = differing(before, after);
      for (int k = 0; k < values.length; k++) {
        Column column = COLUMNS.get(k);
        if ((column.sources() & differ) == 0) {
          values[k] = UNSET;
        } else {
          values[k] = column.of(after, dialect);
          mask |= 1L << k;
        }
      }
      this.changed = mask;
    }

    /** A column's value, worked out on first use. */
    @Nullable Object value(int k) {
      Object v = values[k];
      if (v == UNSET) {
        v = COLUMNS.get(k).of(user, dialect);
        values[k] = v;
      }
      return v;
    }
  }

  /** H2 and MariaDB: the rows grouped by the columns they set, one batch a group. */
  private void updateChangedColumns(Connection c, TenantId tenant, List<Row> rows, String token)
      throws SQLException {
    Map<Long, List<Row>> groups = new LinkedHashMap<>();
    for (Row row : rows) {
      groups.computeIfAbsent(row.changed, m -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<Long, List<Row>> g : groups.entrySet()) {
      updateColumns(c, tenant, g.getValue(), g.getKey(), token);
    }
  }

  /**
   * One version-checked UPDATE a user setting the columns of {@code mask}, sent as a JDBC batch;
   * {@link #verify} checks the counts.
   */
  private void updateColumns(Connection c, TenantId tenant, List<Row> rows, long mask, String token)
      throws SQLException {
    StringBuilder sql = new StringBuilder("UPDATE um_users SET version = ?, write_token = ?");
    for (int k = 0; k < COLUMNS.size(); k++) {
      if ((mask & (1L << k)) != 0) {
        sql.append(", ").append(COLUMNS.get(k).name()).append(" = ?");
      }
    }
    sql.append(" WHERE tenant_id = ? AND id = ? AND version = ?");
    int[] counts;
    List<User> users = rows.stream().map(r -> r.user).toList();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (Row row : rows) {
        User u = row.user;
        ps.setLong(1, u.version());
        ps.setString(2, token);
        int i = 3;
        for (int k = 0; k < COLUMNS.size(); k++) {
          if ((mask & (1L << k)) != 0) {
            bind(ps, i++, COLUMNS.get(k).type(), row.value(k));
          }
        }
        ps.setString(i++, tenant.value());
        ps.setString(i++, u.id().value());
        ps.setLong(i, u.version() - 1);
        ps.addBatch();
      }
      counts = ps.executeBatch();
    } catch (java.sql.BatchUpdateException e) {
      throw JdbcBackend.translate(e);
    }
    verify(c, tenant, users, counts, token);
  }

  /**
   * PostgreSQL: the whole chunk as one version-checked {@code UPDATE … FROM unnest(arrays)}, one
   * array for each column any of its rows sets (a row that leaves such a column as it is sends its
   * current value), {@code RETURNING} the ids it wrote; a user missing from them was stale (or
   * deleted) and is a conflict, or was moved and is written again. One statement instead of one a
   * row saves the server a parse, bind and execute per row, and no count is ever "unknown".
   */
  private static void updateFromArrays(Connection c, TenantId tenant, List<Row> rows, String token)
      throws SQLException {
    updateFromArrays(c, tenant, rows, token, 0);
  }

  /** Writes moved by a write that kept their version are tried again this many times at most. */
  private static final int MOVED_RETRIES = 3;

  /**
   * One {@link #buildArrayUpdate} of the rows; a row it did not write whose stored version is still
   * the one expected was moved meanwhile by a write that keeps versions ({@link #rederive}, the
   * skeleton fill: the row's physical address changed under the statement) and is written again by
   * a statement of its own snapshot. Any other row not written is a conflict.
   */
  private static void updateFromArrays(
      Connection c, TenantId tenant, List<Row> rows, String token, int attempt)
      throws SQLException {
    long mask = 0;
    for (Row row : rows) {
      mask |= row.changed;
    }
    try (PreparedStatement ps = c.prepareStatement(arrayUpdate(mask))) {
      Dialect.POSTGRESQL.planEachExecution(ps);
      ps.setString(1, token);
      // in the primary key's order (see Dialect#inIndexOrder): the probes read neighbouring pages
      // one after the other
      List<Row> inKeyOrder =
          rows.stream().sorted(Comparator.comparing(r -> r.user.id().value())).toList();
      int next = bindArrays(c, ps, 2, inKeyOrder, mask);
      next = bindVersionsAndIds(c, ps, next, inKeyOrder);
      ps.setString(next, tenant.value());
      ps.setString(next + 1, tenant.value());
      java.util.Set<String> written = new java.util.HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          written.add(rs.getString(1));
        }
      }
      List<Row> missed = rows.stream().filter(r -> !written.contains(r.user.id().value())).toList();
      if (missed.isEmpty()) {
        return;
      }
      // the stored versions of every row not written, read in one statement
      Map<String, Long> stored =
          columnById(
              c,
              Dialect.POSTGRESQL,
              tenant,
              missed.stream().map(r -> r.user.id().value()).toList(),
              "version",
              ResultSet::getLong,
              "");
      for (Row row : missed) {
        User u = row.user;
        long version = stored.getOrDefault(u.id().value(), -1L);
        if (attempt >= MOVED_RETRIES || version != u.version() - 1) {
          throw Checks.versionConflict(u.id(), version, u.version() - 1);
        }
      }
      // every row missed was moved: written again
      updateFromArrays(c, tenant, missed, token, attempt + 1);
    }
  }

  /**
   * The array a column's values are bound as on PostgreSQL: the driver's element type, the SQL
   * array type the statement casts the parameter to, and the elements' class. A date goes as text,
   * which the cast reads.
   */
  private enum ArrayType {
    INT8("int8", "bigint"),
    INT4("int4", "integer"),
    BOOL("bool", "boolean"),
    DATE("text", "date"),
    TEXT("text", "text");

    /** The element type's name, as the driver takes it. */
    final String elementType;

    /** The SQL element type of the array the parameter is cast to. */
    final String cast;

    ArrayType(String elementType, String cast) {
      this.elementType = elementType;
      this.cast = cast;
    }

    static ArrayType of(int sqlType) {
      return switch (sqlType) {
        case Types.BIGINT -> INT8;
        case Types.INTEGER -> INT4;
        case Types.BOOLEAN -> BOOL;
        case Types.DATE -> DATE;
        default -> TEXT;
      };
    }

    /** An array of {@code n} elements of the driver's class for this type. */
    Object[] array(int n) {
      return switch (this) {
        case INT8 -> new Long[n];
        case INT4 -> new Integer[n];
        case BOOL -> new Boolean[n];
        case DATE, TEXT -> new String[n];
      };
    }

    /** A column's value as an element of this type. */
    Object element(Object v) {
      return switch (this) {
        case INT8 -> ((Number) v).longValue();
        case INT4 -> ((Number) v).intValue();
        case BOOL -> (Boolean) v;
        case DATE, TEXT -> v.toString();
      };
    }
  }

  /**
   * Binds the rows' values as PostgreSQL takes them, one array a column from parameter {@code
   * first}: each row's version and id, then the columns of {@code mask} in their order (SQL NULL
   * for no value). Numbers and booleans go as arrays of their own type, which the driver sends in
   * binary, where a text array had each row's version and times written out as digits on the client
   * and parsed back on the server.
   *
   * @return the next parameter's index
   */
  private static int bindArrays(
      Connection c, PreparedStatement ps, int first, List<Row> rows, long mask)
      throws SQLException {
    int n = rows.size();
    int p = bindVersionsAndIds(c, ps, first, rows);
    for (int k = 0; k < COLUMNS.size(); k++) {
      if ((mask & (1L << k)) == 0) {
        continue;
      }
      ArrayType type = ArrayType.of(COLUMNS.get(k).type());
      Object[] values = type.array(n);
      for (int r = 0; r < n; r++) {
        Object v = rows.get(r).value(k);
        values[r] = v == null ? null : type.element(v);
      }
      ps.setArray(p++, c.createArrayOf(type.elementType, values));
    }
    return p;
  }

  /**
   * Binds the rows' versions and ids as two arrays from parameter {@code first}; the next index.
   */
  private static int bindVersionsAndIds(
      Connection c, PreparedStatement ps, int first, List<Row> rows) throws SQLException {
    Long[] versions = new Long[rows.size()];
    String[] ids = new String[rows.size()];
    for (int r = 0; r < versions.length; r++) {
      User u = rows.get(r).user;
      versions[r] = u.version();
      ids[r] = u.id().value();
    }
    ps.setArray(first, c.createArrayOf(ArrayType.INT8.elementType, versions));
    ps.setArray(first + 1, c.createArrayOf(ArrayType.TEXT.elementType, ids));
    return first + 2;
  }

  /**
   * PostgreSQL's insert of new users: one statement over one array a column, where a JDBC batch of
   * single-row inserts costs the server an execution a row. A bulk create of 50,000 users in
   * batches of 1,000 on a never-analyzed database went from 93 ms (first batches) and 132 ms (last)
   * a batch to 75 ms and 105 ms.
   */
  private static void insertFromArrays(
      Connection c, TenantId tenant, List<User> users, String token) throws SQLException {
    List<Row> rows = new ArrayList<>(users.size());
    for (User u : users) {
      rows.add(new Row(u, Dialect.POSTGRESQL));
    }
    try (PreparedStatement ps = c.prepareStatement(ARRAY_INSERT)) {
      ps.setString(1, tenant.value());
      ps.setString(2, token);
      bindArrays(c, ps, 3, rows, ALL_COLUMNS);
      int inserted = ps.executeUpdate();
      if (inserted != users.size()) {
        throw new SQLException(inserted + " users inserted of " + users.size());
      }
    }
  }

  /**
   * Checks that every user is among the ids a query returns as written with {@code token} (the rows
   * whose second column is that write token); a user missing is a conflict. Each id is taken once,
   * so that a user given twice is a conflict the second time.
   */
  private static void requireWritten(
      Connection c, TenantId tenant, List<User> users, PreparedStatement writtenIds, String token)
      throws SQLException {
    java.util.Set<String> written = new java.util.HashSet<>();
    try (ResultSet rs = writtenIds.executeQuery()) {
      while (rs.next()) {
        if (token.equals(rs.getString(2))) {
          written.add(rs.getString(1));
        }
      }
    }
    for (User u : users) {
      if (!written.remove(u.id().value())) {
        throw conflict(c, tenant, u.id(), u.version() - 1);
      }
    }
  }

  /**
   * Proves every row of a version-checked batch was written. A driver may answer "success, count
   * unknown" (-2) for a batch (MariaDB's bulk mode does, even for a stale row): then the rows are
   * counted by the write token this batch set, so that a conflict is never hidden.
   */
  private void verify(Connection c, TenantId tenant, List<User> users, int[] counts, String token)
      throws SQLException {
    boolean unknown = false;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == Statement.SUCCESS_NO_INFO) {
        unknown = true;
      } else if (counts[i] != 1) {
        throw conflict(c, tenant, users.get(i).id(), users.get(i).version() - 1);
      }
    }
    if (counts.length != users.size()) {
      unknown = true;
    }
    if (unknown) {
      // the batch's rows by primary key, written when they carry this batch's token (a read of
      // the tenant by token alone has no index)
      List<String> ids = users.stream().map(u -> u.id().value()).distinct().toList();
      try (PreparedStatement ps =
          c.prepareStatement(db.dialect.selectByKeys("u.id, u.write_token", "id", ids.size()))) {
        db.dialect.bindKeyLookup(ps, ids, tenant.value());
        requireWritten(c, tenant, users, ps, token);
      }
    }
  }

  private static ConflictException conflict(Connection c, TenantId tenant, UserId id, long expected)
      throws SQLException {
    return Checks.versionConflict(id, storedVersion(c, tenant, id), expected);
  }

  /** Reads the value of one column of a result set's current row. */
  @FunctionalInterface
  private interface ColumnReader<V> {
    V read(ResultSet rs, int column) throws SQLException;
  }

  /**
   * One column of users by id, in one key lookup; a user that is gone has no entry. The stored
   * versions of rows an array update did not write, the details digests before an update, and (with
   * {@code then} {@code " FOR UPDATE"}, which locks the rows found until the transaction ends) the
   * versions a delete requires.
   */
  private static <V> Map<String, V> columnById(
      Connection c,
      Dialect dialect,
      TenantId tenant,
      List<String> ids,
      String column,
      ColumnReader<V> reader,
      String then)
      throws SQLException {
    Map<String, V> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(dialect.selectByKeys("u.id, u." + column, "id", ids.size()) + then)) {
      dialect.bindKeyLookup(ps, ids, tenant.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), reader.read(rs, 2));
        }
      }
    }
    return out;
  }

  /** A user's stored version, or -1 when there is none. */
  private static long storedVersion(Connection c, TenantId tenant, UserId id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version FROM um_users WHERE tenant_id = ? AND id = ?")) {
      ps.setString(1, tenant.value());
      ps.setString(2, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  @Override
  public void delete(TenantId tenant, Map<UserId, Long> expectedVersions) {
    if (expectedVersions.isEmpty()) {
      return;
    }
    db.tx(
        c -> {
          List<Map.Entry<UserId, Long>> entries = new ArrayList<>(expectedVersions.entrySet());
          List<String> ids = entries.stream().map(e -> e.getKey().value()).toList();
          // every row locked at its version first: a user gone or at another version is a
          // conflict before anything is deleted, and the batch then deletes each row it names
          // whatever count the driver answers (MariaDB's bulk mode answers "count unknown" for
          // every row, also for one a DELETE did not find)
          Map<String, Long> stored =
              columnById(c, db.dialect, tenant, ids, "version", ResultSet::getLong, " FOR UPDATE");
          for (Map.Entry<UserId, Long> e : entries) {
            long version = stored.getOrDefault(e.getKey().value(), -1L);
            if (version != e.getValue()) {
              throw Checks.versionConflict(e.getKey(), version, e.getValue());
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM um_users WHERE tenant_id = ? AND id = ? AND version = ?")) {
            for (Map.Entry<UserId, Long> e : entries) {
              ps.setString(1, tenant.value());
              ps.setString(2, e.getKey().value());
              ps.setLong(3, e.getValue());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          deleteDetails(c, tenant, ids);
          return ids.size();
        });
  }

  private int bindColumns(PreparedStatement ps, int start, User u) throws SQLException {
    int i = start;
    for (Column col : COLUMNS) {
      bind(ps, i++, col.type(), col.of(u, db.dialect));
    }
    return i;
  }

  private static void bind(PreparedStatement ps, int i, int sqlType, @Nullable Object v)
      throws SQLException {
    if (v == null) {
      ps.setNull(i, sqlType);
    } else {
      set(ps, i, v);
    }
  }

  private void writeDetails(Connection c, TenantId tenant, List<User> users, boolean replace)
      throws SQLException {
    if (replace) {
      deleteDetails(c, tenant, users.stream().map(u -> u.id().value()).toList());
    }
    try (PreparedStatement values =
            c.prepareStatement(
                "INSERT INTO um_user_values (tenant_id, user_id, kind, val, val_key) VALUES (?, ?,"
                    + " ?, ?, ?)");
        PreparedStatement attrs =
            c.prepareStatement(
                "INSERT INTO um_user_attributes (tenant_id, user_id, attr_key, text_key, num_value,"
                    + " date_value, bool_value, ref_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      boolean anyValue = false;
      boolean anyAttr = false;
      for (User u : users) {
        for (UserField f : List.of(UserField.MODULES, UserField.GROUPS)) {
          for (Object o : (Collection<?>) f.get(u).orElse(List.of())) {
            values.setString(1, tenant.value());
            values.setString(2, u.id().value());
            values.setString(3, f.key());
            values.setString(4, o.toString());
            values.setString(5, db.dialect.storedKey(Texts.fold(o.toString())));
            values.addBatch();
            anyValue = true;
          }
        }
        for (Map.Entry<String, AttributeValue> e : u.attributes().entrySet()) {
          AttributeValue v = e.getValue();
          attrs.setString(1, tenant.value());
          attrs.setString(2, u.id().value());
          attrs.setString(3, e.getKey());
          attrs.setNull(4, Types.VARCHAR);
          attrs.setNull(5, Types.DECIMAL);
          attrs.setNull(6, Types.DATE);
          attrs.setNull(7, Types.BOOLEAN);
          attrs.setNull(8, Types.VARCHAR);
          switch (v.type()) {
            // whole: the value model keeps a custom text's folded key within 2,000 characters
            case TEXT -> attrs.setString(4, db.dialect.storedKey(Texts.fold(v.asText())));
            case NUMBER -> attrs.setBigDecimal(5, v.asNumber());
            case DATE -> attrs.setObject(6, v.asDate());
            case BOOLEAN -> attrs.setBoolean(7, v.asBoolean());
            case USER_REF -> attrs.setString(8, v.asUserRef().value());
          }
          attrs.addBatch();
          anyAttr = true;
        }
      }
      if (anyValue) {
        values.executeBatch();
      }
      if (anyAttr) {
        attrs.executeBatch();
      }
    }
  }

  private static void deleteDetails(Connection c, TenantId tenant, List<String> ids)
      throws SQLException {
    for (String table : List.of("um_user_values", "um_user_attributes")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ? AND user_id = ?")) {
        for (String id : ids) {
          ps.setString(1, tenant.value());
          ps.setString(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** Work that reads and may throw SQL errors from nested helpers. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws SQLException;
  }

  private static <T> T call(Call<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw JdbcBackend.translate(e);
    }
  }
}
