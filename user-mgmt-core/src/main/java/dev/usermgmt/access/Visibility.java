package dev.usermgmt.access;

import com.google.common.collect.ImmutableSet;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What of a user an actor may see: the decision of {@link AccessPolicy#visibility}, and the one
 * function every read path applies to what it returns (records, pages, exports, the change log's
 * diffs, hierarchy lists) and checks its filters and sorts against.
 *
 * <p>A user's id, tenant, version and record timestamps, and the fields that always have a value
 * (display name, role, status and the like: {@link UserField#required()}), are visible with the
 * user; every other {@link UserField} and every custom attribute is visible or not.
 */
public final class Visibility {
  /** What a read is for: the record itself, or its history in the change log. */
  public enum Purpose {
    /** The user record: reads, lists, filters, sorts and exports. */
    RECORD,
    /** The diffs of the change log. */
    HISTORY
  }

  private static final Visibility NONE = new Visibility(false, Set.of(), k -> false);

  private static final int FIELD_COUNT = UserField.values().length;

  /** The fields, in order: {@code values()} copies its array at every call. */
  private static final UserField[] FIELDS = UserField.values();

  private final boolean user;
  private final ImmutableSet<UserField> fields;
  private final Predicate<String> attributes;

  private Visibility(boolean user, Set<UserField> fields, Predicate<String> attributes) {
    this.user = user;
    this.fields = ImmutableSet.copyOf(fields);
    this.attributes = attributes;
  }

  /**
   * Nothing: the actor may not see the user at all.
   *
   * @return the visibility
   */
  public static Visibility none() {
    return NONE;
  }

  /**
   * Everything: every field and attribute.
   *
   * @return the visibility
   */
  public static Visibility all() {
    return of(EnumSet.allOf(UserField.class), k -> true);
  }

  /**
   * The user with some fields and the attributes a predicate accepts.
   *
   * @param fields the visible standard fields
   * @param attributes which custom attribute keys are visible
   * @return the visibility
   */
  public static Visibility of(Collection<UserField> fields, Predicate<String> attributes) {
    EnumSet<UserField> visible = EnumSet.noneOf(UserField.class);
    visible.addAll(fields);
    for (UserField f : FIELDS) {
      if (f.required()) {
        visible.add(f);
      }
    }
    return new Visibility(true, visible, attributes);
  }

  /**
   * Whether the actor may see the user at all.
   *
   * @return true when the user is visible
   */
  public boolean seesUser() {
    return user;
  }

  /**
   * Whether a standard field is visible.
   *
   * @param field the field
   * @return true when visible
   */
  public boolean sees(UserField field) {
    return user && fields.contains(field);
  }

  /**
   * Whether a custom attribute is visible.
   *
   * @param key the attribute key
   * @return true when visible
   */
  public boolean seesAttribute(String key) {
    return user && attributes.test(key);
  }

  /**
   * Whether every field and attribute is visible (reads then return the record unchanged).
   *
   * @param attributeKeys the attribute keys that matter
   * @return true when nothing is hidden
   */
  public boolean seesEverything(Collection<String> attributeKeys) {
    return user
        && fields.size() == UserField.values().length
        && attributeKeys.stream().allMatch(attributes);
  }

  /**
   * The visible part of a user: hidden fields cleared and hidden attributes removed.
   *
   * @param target the stored user
   * @return the visible part
   * @throws IllegalStateException when the user is not visible at all (callers check {@link
   *     #seesUser()} first)
   */
  public User apply(User target) {
    if (!user) {
      throw new IllegalStateException("the user is not visible");
    }
    // a loop, not a stream: this runs for every user of every page
    boolean allFields = fields.size() == FIELD_COUNT;
    boolean allAttributes = true;
    for (String key : target.attributes().keySet()) {
      if (!attributes.test(key)) {
        allAttributes = false;
        break;
      }
    }
    if (allFields && allAttributes) {
      return target;
    }
    User.Builder b = target.toBuilder();
    if (!allAttributes) {
      Map<String, AttributeValue> kept = new LinkedHashMap<>();
      target
          .attributes()
          .forEach(
              (k, v) -> {
                if (attributes.test(k)) {
                  kept.put(k, v);
                }
              });
      b.attributes(kept);
    }
    User out = b.build();
    for (UserField f : FIELDS) {
      if (!fields.contains(f)) {
        out = f.set(out, Optional.empty());
      }
    }
    return out;
  }

  /**
   * The fields of a set that are hidden.
   *
   * @param wanted fields a read needs
   * @return those of them the actor may not see
   */
  public Set<UserField> hidden(Collection<UserField> wanted) {
    EnumSet<UserField> out = EnumSet.noneOf(UserField.class);
    for (UserField f : wanted) {
      if (!sees(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The refusal of a write that names what this view does not show of its user: the user themself,
   * or one of the fields. A write is judged by the fields it names, whatever their values, so that
   * its answer tells nothing of what the actor may not see.
   *
   * @param named the fields the write names
   * @param attributeKeys the custom attributes it names
   * @return the refusal, or empty when the view shows all the write names
   */
  public Optional<Decision> refusesWriting(
      Collection<UserField> named, Collection<String> attributeKeys) {
    if (!user) {
      return Optional.of(unseen());
    }
    for (UserField f : named) {
      if (!sees(f)) {
        return Optional.of(hiddenField(f.key()));
      }
    }
    for (String k : attributeKeys) {
      if (!seesAttribute(k)) {
        return Optional.of(hiddenField(dev.usermgmt.attribute.AttributeSchema.fieldOf(k)));
      }
    }
    return Optional.empty();
  }

  /**
   * The refusal of what needs a user the actor may not see: a read of them, a write of their
   * profile, a file's row for them, whatever the user holds.
   *
   * @return the refusal
   */
  public static Decision unseen() {
    return Decision.deny(Decision.Reason.NOT_SELF_OR_REPORT, "the actor may not see this user");
  }

  /** The refusal of a write of a field the actor may not see of the user. */
  static Decision hiddenField(String field) {
    return Decision.deny(
        Decision.Reason.FIELD_READ_ONLY, "the actor may not see " + field + " of this user");
  }

  @Override
  public String toString() {
    return user ? "Visibility" + fields : "Visibility(none)";
  }

  /**
   * The visible fields.
   *
   * @return the fields
   */
  public Set<UserField> fields() {
    return user ? fields : Set.of();
  }
}
