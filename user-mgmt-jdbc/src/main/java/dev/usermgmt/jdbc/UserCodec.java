package dev.usermgmt.jdbc;

import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.jdbc.sql.Times;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.TenantId;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical text of a whole user, kept in the {@code doc} column: one {@code key=value} line a
 * field (values as {@link UserField#format}, but instants as epoch nanoseconds), {@code
 * attr.<key>:<TYPE>=value} for custom attributes, and {@code updatedAt}. Version and tenant live in
 * their own columns.
 */
final class UserCodec {
  private UserCodec() {}

  static String encode(User u) {
    StringBuilder b = new StringBuilder(512);
    for (UserField f : UserField.values()) {
      Optional<Object> v = f.get(u);
      if (v.isPresent()) {
        // instants as epoch nanoseconds: exact, and far cheaper to read back than ISO text
        line(
            b,
            f.key(),
            v.get() instanceof Instant t ? Long.toString(Times.nanos(t)) : f.format(v.get()));
      }
    }
    u.attributes().forEach((k, v) -> line(b, "attr." + k + ":" + v.type().name(), v.canonical()));
    line(b, "updatedAt", Long.toString(Times.nanos(u.updatedAt())));
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(key).append('=').append(Escapes.escape(value)).append('\n');
  }

  private static final UserField[] FIELDS = UserField.values();

  static User decode(TenantId tenant, String id, long version, String doc, RoleCatalog roles) {
    User.Builder b = User.builder().id(UserId.of(id)).tenant(tenant).version(version);
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    int start = 0;
    int next = 0; // fields are written in UserField order: try the next one first
    while (start < doc.length()) {
      int end = doc.indexOf('\n', start);
      int eq = doc.indexOf('=', start);
      int f = field(doc, start, eq, next);
      if (f >= 0) {
        UserField field = FIELDS[f];
        next = f + 1;
        if (field.kind() == UserField.Kind.INSTANT) {
          field.setOn(b, Times.instant(Long.parseLong(doc, eq + 1, end, 10)));
        } else {
          field.setOn(b, field.parseCanonical(Escapes.unescape(doc.substring(eq + 1, end)), roles));
        }
      } else if (doc.startsWith("attr.", start)) {
        int colon = doc.lastIndexOf(':', eq);
        attributes.put(
            doc.substring(start + 5, colon),
            AttributeValue.parseCanonical(
                AttributeType.valueOf(doc.substring(colon + 1, eq)),
                Escapes.unescape(doc.substring(eq + 1, end))));
      } else if (doc.startsWith("updatedAt=", start)) {
        b.updatedAt(Times.instant(Long.parseLong(doc, eq + 1, end, 10)));
      } else {
        throw new IllegalStateException("unknown field in doc: " + doc.substring(start, eq));
      }
      start = end + 1;
    }
    return b.attributes(attributes).build();
  }

  /**
   * The index of the field whose key is {@code doc[start, eq)}, or -1; without substrings or
   * hashing, trying the field after the previous one first.
   */
  private static int field(String doc, int start, int eq, int next) {
    int length = eq - start;
    for (int k = 0; k < FIELDS.length; k++) {
      int i = (next + k) % FIELDS.length;
      String key = FIELDS[i].key();
      if (key.length() == length && doc.startsWith(key, start)) {
        return i;
      }
    }
    return -1;
  }
}
