package dev.usermgmt.audit.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Field diffs between user values, and their application: what the change log records, what undo
 * reverses and what replay rebuilds. Values are the canonical texts of {@link UserField#format} and
 * {@link AttributeValue#canonical()}.
 */
public final class Diffs {
  private Diffs() {}

  /** The fields, in order: {@code values()} copies its array at every call. */
  private static final UserField[] FIELDS = UserField.values();

  /**
   * The fields that differ between two values of a user (version and update time excluded).
   *
   * @param before the user before
   * @param after the user after
   * @return the diffs, standard fields first in field order, then attributes by key
   */
  public static List<FieldDiff> between(User before, User after) {
    List<FieldDiff> out = new ArrayList<>();
    for (UserField f : FIELDS) {
      if (f.equalIn(before, after)) {
        continue;
      }
      Optional<Object> b = f.get(before);
      Optional<Object> a = f.get(after);
      if (!b.equals(a)) {
        out.add(
            FieldDiff.builder()
                .field(f.key())
                .before(b.map(f::format))
                .after(a.map(f::format))
                .build());
      }
    }
    if (before.attributes().equals(after.attributes())) {
      return out;
    }
    TreeSet<String> keys = new TreeSet<>(before.attributes().keySet());
    keys.addAll(after.attributes().keySet());
    for (String k : keys) {
      Optional<AttributeValue> b = Optional.ofNullable(before.attributes().get(k));
      Optional<AttributeValue> a = Optional.ofNullable(after.attributes().get(k));
      if (!b.equals(a)) {
        out.add(attributeDiff(k, b, a));
      }
    }
    return out;
  }

  /**
   * The diff of one attribute.
   *
   * @param key the attribute key
   * @param before the value before
   * @param after the value after
   * @return the diff
   */
  public static FieldDiff attributeDiff(
      String key, Optional<AttributeValue> before, Optional<AttributeValue> after) {
    AttributeValue any = before.isPresent() ? before.get() : after.orElseThrow();
    return FieldDiff.builder()
        .field(FieldDiff.ATTRIBUTE_PREFIX + key)
        .before(before.map(AttributeValue::canonical))
        .after(after.map(AttributeValue::canonical))
        .attributeType(any.type())
        .build();
  }

  /**
   * The change that records a creation: every field the user has.
   *
   * @param user the new user
   * @return the change
   */
  public static UserChange created(User user) {
    List<FieldDiff> diffs = new ArrayList<>();
    for (FieldDiff d : full(user)) {
      diffs.add(
          FieldDiff.builder()
              .field(d.field())
              .after(d.before())
              .attributeType(d.attributeType())
              .build());
    }
    return UserChange.builder()
        .userId(user.id())
        .kind(UserChange.Kind.CREATED)
        .diffs(diffs)
        .versionAfter(user.version())
        .build();
  }

  /**
   * The change that records a deletion: every field the user had.
   *
   * @param user the user before deletion
   * @return the change
   */
  public static UserChange deleted(User user) {
    return UserChange.builder()
        .userId(user.id())
        .kind(UserChange.Kind.DELETED)
        .diffs(full(user))
        .versionBefore(user.version())
        .build();
  }

  /**
   * The change that records an update whose diffs are known already.
   *
   * @param before the user before
   * @param after the user after
   * @param diffs {@code between(before, after)}
   * @return the change
   */
  public static UserChange updated(User before, User after, List<FieldDiff> diffs) {
    return UserChange.builder()
        .userId(after.id())
        .kind(UserChange.Kind.UPDATED)
        .diffs(diffs)
        .versionBefore(before.version())
        .versionAfter(after.version())
        .build();
  }

  private static List<FieldDiff> full(User user) {
    List<FieldDiff> out = new ArrayList<>();
    for (UserField f : FIELDS) {
      Optional<Object> v = f.get(user);
      v.ifPresent(o -> out.add(FieldDiff.builder().field(f.key()).before(f.format(o)).build()));
    }
    new java.util.TreeMap<>(user.attributes())
        .forEach((k, v) -> out.add(attributeDiff(k, Optional.of(v), Optional.empty())));
    return out;
  }

  /**
   * Applies diffs to a user, stamped as a write at {@code at} would store it: each field set to the
   * diff's after-value (or before-value when {@code reverse}), the version one more and the update
   * time {@code at}, all on one builder, so that the user is built and validated once ({@link
   * dev.usermgmt.internal.service.UnitOfWork#update} writes such a user as it is). Diffs that
   * change nothing still give a stamped copy, which no write stores: its diffs from {@code user}
   * are empty.
   *
   * @param user the user to change
   * @param diffs the diffs
   * @param reverse whether to restore the before-values
   * @param roles the catalog role keys refer to
   * @param at the time of the write
   * @return the changed user; {@code user} itself when there are no diffs
   * @throws InvalidInputException when a diff is redacted or not canonical
   */
  public static User apply(
      User user, List<FieldDiff> diffs, boolean reverse, RoleCatalog roles, Instant at) {
    if (diffs.isEmpty()) {
      return user;
    }
    // every change goes on one builder and the user is checked once, as they leave it: one field
    // at a time the state in between could be invalid (the only contact cleared before the other
    // is set)
    User.Builder values = user.toBuilder().version(user.version() + 1).updatedAt(at);
    Map<String, AttributeValue> attributes = new LinkedHashMap<>(user.attributes());
    for (FieldDiff d : diffs) {
      if (d.redacted()) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_VALUE,
                d.field(),
                "the value was redacted and cannot be restored"));
      }
      Optional<String> value = reverse ? d.before() : d.after();
      if (d.isAttribute()) {
        String key = d.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length());
        if (value.isPresent()) {
          attributes.put(
              key, AttributeValue.parseCanonical(d.attributeType().orElseThrow(), value.get()));
        } else {
          attributes.remove(key);
        }
      } else {
        UserField f =
            UserField.byKey(d.field())
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            Problem.ofField(
                                ErrorCode.UNKNOWN_FIELD, d.field(), "unknown field " + d.field())));
        if (value.isPresent()) {
          f.setOn(values, f.parseCanonical(value.get(), roles));
        } else {
          f.clearOn(values);
        }
      }
    }
    return values.attributes(attributes).build();
  }

  /**
   * Rebuilds a user from the diffs of its creation (or of its deletion, with {@code reverse}).
   *
   * @param tenant the tenant
   * @param id the user id
   * @param diffs the full diffs
   * @param reverse whether to read the before-values (a deletion's)
   * @param version the version to give the user
   * @param updatedAt the update time to give the user
   * @param roles the catalog role keys refer to
   * @return the user
   */
  public static User rebuild(
      TenantId tenant,
      UserId id,
      List<FieldDiff> diffs,
      boolean reverse,
      long version,
      Instant updatedAt,
      RoleCatalog roles) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    for (FieldDiff d : diffs) {
      Optional<String> value = reverse ? d.before() : d.after();
      if (d.redacted() || value.isEmpty()) {
        continue;
      }
      if (d.isAttribute()) {
        attributes.put(
            d.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length()),
            AttributeValue.parseCanonical(d.attributeType().orElseThrow(), value.get()));
      } else {
        values.put(d.field(), value.get());
      }
    }
    String role = values.get(UserField.ROLE.key());
    String status = values.get(UserField.STATUS.key());
    String created = values.get(UserField.CREATED_AT.key());
    if (role == null || status == null || created == null) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.MISSING_FIELD, "the diffs do not describe a whole user " + id));
    }
    // Built as anonymised first so that the contact check waits until every field is in.
    User user =
        User.builder()
            .id(id)
            .tenant(tenant)
            .role((Role) UserField.ROLE.parseCanonical(role, roles))
            .status(UserStatus.ANONYMISED)
            .createdAt((Instant) UserField.CREATED_AT.parseCanonical(created, roles))
            .version(version)
            .updatedAt(updatedAt)
            .attributes(attributes)
            .build();
    for (UserField f : FIELDS) {
      String v = values.get(f.key());
      if (v != null && f != UserField.ROLE && f != UserField.STATUS && f != UserField.CREATED_AT) {
        user = f.set(user, Optional.of(f.parseCanonical(v, roles)));
      }
    }
    return UserField.STATUS.set(user, Optional.of(UserField.STATUS.parseCanonical(status, roles)));
  }
}
