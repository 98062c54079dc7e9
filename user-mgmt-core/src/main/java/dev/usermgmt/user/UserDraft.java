package dev.usermgmt.user;

import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.EmailOrPhoneRequired;
import dev.usermgmt.internal.HasContact;
import dev.usermgmt.role.Role;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.immutables.value.Value;

/**
 * What an "Add Users" form (or an add-user row of a file) gives to create one user: names, e-mail
 * and / or phone ("Email or phone is required"), role (defaults to the catalog's default role),
 * organisation fields, manager, hire date, modules, groups and custom attributes.
 *
 * <p>Constraints are Jakarta Validation annotations, checked at the boundary with every violation
 * reported at once; the directory also checks what needs the tenant's data (unique e-mail, the
 * manager exists, the role is not above the actor's, the attributes fit the schema).
 */
@Value.Immutable
@EmailOrPhoneRequired
public abstract class UserDraft implements HasContact {
  UserDraft() {}

  /**
   * An id the host brings; a random one is made when absent.
   *
   * @return the id
   */
  public abstract Optional<UserId> id();

  /**
   * "Full name"; defaults to first and last name.
   *
   * @return the display name
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> displayName();

  /**
   * Given name.
   *
   * @return the first name
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> firstName();

  /**
   * Family name.
   *
   * @return the last name
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> lastName();

  /**
   * Initials.
   *
   * @return the initials
   */
  public abstract Optional<@Size(min = 1, max = 10) String> initials();

  /**
   * Username.
   *
   * @return the username
   */
  public abstract Optional<@Size(min = 1, max = 200) String> username();

  /**
   * E-mail address; required unless a phone number is given.
   *
   * @return the address
   */
  public abstract Optional<EmailAddress> primaryEmail();

  /**
   * Phone number; required unless an e-mail address is given.
   *
   * @return the number
   */
  public abstract Optional<PhoneNumber> phoneNumber();

  /**
   * Role; the catalog's default role when absent.
   *
   * @return the role
   */
  public abstract Optional<Role> role();

  /**
   * Job title.
   *
   * @return the title
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> jobTitle();

  /**
   * Position.
   *
   * @return the position
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> position();

  /**
   * Department.
   *
   * @return the department
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> department();

  /**
   * Company.
   *
   * @return the company
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> company();

  /**
   * Location.
   *
   * @return the location
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> location();

  /**
   * Office.
   *
   * @return the office
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> office();

  /**
   * Employee type / user type.
   *
   * @return the type
   */
  public abstract Optional<@Size(min = 1, max = UserField.MAX_TEXT) String> userType();

  /**
   * External employee ID (text; leading zeros kept).
   *
   * @return the ID
   */
  public abstract Optional<@Size(min = 1, max = 64) String> employeeId();

  /**
   * Direct manager.
   *
   * @return the manager's id
   */
  public abstract Optional<UserId> managerId();

  /**
   * Hire date.
   *
   * @return the date
   */
  public abstract Optional<LocalDate> hireDate();

  /**
   * Time zone.
   *
   * @return the zone
   */
  public abstract Optional<ZoneId> timeZone();

  /**
   * Language, a BCP 47 tag.
   *
   * @return the tag
   */
  public abstract Optional<@Pattern(regexp = "[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*") String>
      language();

  /**
   * Modules.
   *
   * @return module keys
   */
  @Value.NaturalOrder
  public abstract SortedSet<@Size(min = 1, max = 100) String> modules();

  /**
   * Groups.
   *
   * @return group ids
   */
  @Value.NaturalOrder
  public abstract SortedSet<@Size(min = 1, max = 200) String> groups();

  /**
   * Custom attribute values.
   *
   * @return values by key
   */
  public abstract Map<String, AttributeValue> attributes();

  @Override
  public boolean hasContact() {
    return primaryEmail().isPresent() || phoneNumber().isPresent();
  }

  /**
   * A copy with another role.
   *
   * @param role the role
   * @return the copy
   */
  public UserDraft withRole(Role role) {
    return toBuilder().role(role).build();
  }

  /**
   * A copy with other custom attribute values.
   *
   * @param values values by key
   * @return the copy
   */
  public UserDraft withAttributes(Map<String, ? extends AttributeValue> values) {
    return toBuilder().attributes(values).build();
  }

  /**
   * A builder starting from this draft.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from(this);
    return b;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UserDraft}. */
  public static final class Builder extends ImmutableUserDraft.Builder {
    Builder() {}

    /**
     * Builds the value.
     *
     * @return the value
     * @throws dev.usermgmt.InvalidInputException when a value is invalid, or a key was put twice
     *     into {@code attributes}
     */
    @Override
    public UserDraft build() {
      return dev.usermgmt.internal.Builders.build("attributes", super::build);
    }
  }
}
