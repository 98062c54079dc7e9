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

  static User decode(TenantId tenant, String id, long version, String doc, RoleCatalog roles) {
    User.Builder b = User.builder().id(UserId.of(id)).tenant(tenant).version(version);
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    int start = 0;
    while (start < doc.length()) {
      int end = doc.indexOf('\n', start);
      String line = doc.substring(start, end);
      start = end + 1;
      int eq = line.indexOf('=');
      String key = line.substring(0, eq);
      String value = Escapes.unescape(line.substring(eq + 1));
      if (key.startsWith("attr.")) {
        int colon = key.lastIndexOf(':');
        attributes.put(
            key.substring(5, colon),
            AttributeValue.parseCanonical(AttributeType.valueOf(key.substring(colon + 1)), value));
      } else if (key.equals("updatedAt")) {
        b.updatedAt(Times.instant(Long.parseLong(value)));
      } else {
        UserField f =
            UserField.byKey(key)
                .orElseThrow(() -> new IllegalStateException("unknown field in doc: " + key));
        f.setOn(
            b,
            f.kind() == UserField.Kind.INSTANT
                ? Times.instant(Long.parseLong(value))
                : f.parseCanonical(value, roles));
      }
    }
    return b.attributes(attributes).build();
  }
}
