package dev.usermgmt.user;

import dev.usermgmt.UserId;
import dev.usermgmt.role.Role;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How each {@link UserField} reads a user, sets it on a copy and sets it on a builder: one table
 * per direction, one line per field.
 */
final class FieldAccessors {
  private FieldAccessors() {}

  static Object get(UserField field, User user) {
    return Objects.requireNonNull(GETTERS.get(field)).apply(user);
  }

  /**
   * Whether two users hold equal values of a field: what comparing {@link #get}'s results says,
   * each value read by the field's own accessor, so that the compiler sees through the accessor and
   * can take its {@code Optional} apart (a write compares every field of every user it writes,
   * several times over; through the table of {@link #get}, a function the compiler cannot see into,
   * each {@code Optional} an accessor makes was made on the heap). The switch has a case for every
   * field, so a new field cannot be left out.
   */
  static boolean same(UserField field, User a, User b) {
    return switch (field) {
      case DISPLAY_NAME -> a.displayName().equals(b.displayName());
      case FIRST_NAME -> a.firstName().equals(b.firstName());
      case LAST_NAME -> a.lastName().equals(b.lastName());
      case INITIALS -> a.initials().equals(b.initials());
      case USERNAME -> a.username().equals(b.username());
      case PRIMARY_EMAIL -> a.primaryEmail().equals(b.primaryEmail());
      case PHONE_NUMBER -> a.phoneNumber().equals(b.phoneNumber());
      case ROLE -> a.role().equals(b.role());
      case DOMAIN_ROLES -> a.domainRoles().equals(b.domainRoles());
      case STATUS -> a.status() == b.status();
      case MODULES -> a.modules().equals(b.modules());
      case GROUPS -> a.groups().equals(b.groups());
      case PERMISSION_GRANTS -> a.permissionGrants().equals(b.permissionGrants());
      case PERMISSION_REVOCATIONS -> a.permissionRevocations().equals(b.permissionRevocations());
      case JOB_TITLE -> a.jobTitle().equals(b.jobTitle());
      case POSITION -> a.position().equals(b.position());
      case DEPARTMENT -> a.department().equals(b.department());
      case COMPANY -> a.company().equals(b.company());
      case LOCATION -> a.location().equals(b.location());
      case OFFICE -> a.office().equals(b.office());
      case USER_TYPE -> a.userType().equals(b.userType());
      case EMPLOYEE_ID -> a.employeeId().equals(b.employeeId());
      case MANAGER_ID -> a.managerId().equals(b.managerId());
      case HIRE_DATE -> a.hireDate().equals(b.hireDate());
      case DEACTIVATED_AT -> a.deactivatedAt().equals(b.deactivatedAt());
      case LAST_ACTIVITY_AT -> a.lastActivityAt().equals(b.lastActivityAt());
      case LAST_LOGIN_AT -> a.lastLoginAt().equals(b.lastLoginAt());
      case INVITED_AT -> a.invitedAt().equals(b.invitedAt());
      case INVITE_SCHEDULED_AT -> a.inviteScheduledAt().equals(b.inviteScheduledAt());
      case ACTIVATION_SCHEDULED_AT -> a.activationScheduledAt().equals(b.activationScheduledAt());
      case TAKING_A_BREAK -> a.takingABreak() == b.takingABreak();
      case TIME_ZONE -> a.timeZone().equals(b.timeZone());
      case LANGUAGE -> a.language().equals(b.language());
      case SKILLS_COUNT -> a.skillsCount() == b.skillsCount();
      case LOCKED_OUT -> a.lockedOut() == b.lockedOut();
      case MFA_REQUIRED -> a.mfaRequired() == b.mfaRequired();
      case PASSWORD_STATE -> a.passwordState() == b.passwordState();
      case CREATED_AT -> a.createdAt().equals(b.createdAt());
    };
  }

  static User set(UserField field, ImmutableUser user, Optional<Object> value) {
    return Objects.requireNonNull(SETTERS.get(field)).apply(user, value);
  }

  static void build(UserField field, User.Builder builder, Object value) {
    Objects.requireNonNull(BUILDERS.get(field)).accept(builder, value);
  }

  /** Clears a field that is not required on a builder. */
  static void clear(UserField field, User.Builder builder) {
    Objects.requireNonNull(CLEARERS.get(field), field.key()).accept(builder);
  }

  private static final Map<UserField, java.util.function.Consumer<User.Builder>> CLEARERS =
      new EnumMap<>(UserField.class);

  static {
    CLEARERS.put(UserField.FIRST_NAME, b -> b.firstName(Optional.empty()));
    CLEARERS.put(UserField.LAST_NAME, b -> b.lastName(Optional.empty()));
    CLEARERS.put(UserField.INITIALS, b -> b.initials(Optional.empty()));
    CLEARERS.put(UserField.USERNAME, b -> b.username(Optional.empty()));
    CLEARERS.put(UserField.PRIMARY_EMAIL, b -> b.primaryEmail(Optional.empty()));
    CLEARERS.put(UserField.PHONE_NUMBER, b -> b.phoneNumber(Optional.empty()));
    CLEARERS.put(UserField.DOMAIN_ROLES, b -> b.domainRoles(Set.of()));
    CLEARERS.put(UserField.MODULES, b -> b.modules(Set.of()));
    CLEARERS.put(UserField.GROUPS, b -> b.groups(Set.of()));
    CLEARERS.put(UserField.PERMISSION_GRANTS, b -> b.permissionGrants(Set.of()));
    CLEARERS.put(UserField.PERMISSION_REVOCATIONS, b -> b.permissionRevocations(Set.of()));
    CLEARERS.put(UserField.JOB_TITLE, b -> b.jobTitle(Optional.empty()));
    CLEARERS.put(UserField.POSITION, b -> b.position(Optional.empty()));
    CLEARERS.put(UserField.DEPARTMENT, b -> b.department(Optional.empty()));
    CLEARERS.put(UserField.COMPANY, b -> b.company(Optional.empty()));
    CLEARERS.put(UserField.LOCATION, b -> b.location(Optional.empty()));
    CLEARERS.put(UserField.OFFICE, b -> b.office(Optional.empty()));
    CLEARERS.put(UserField.USER_TYPE, b -> b.userType(Optional.empty()));
    CLEARERS.put(UserField.EMPLOYEE_ID, b -> b.employeeId(Optional.empty()));
    CLEARERS.put(UserField.MANAGER_ID, b -> b.managerId(Optional.empty()));
    CLEARERS.put(UserField.HIRE_DATE, b -> b.hireDate(Optional.empty()));
    CLEARERS.put(UserField.DEACTIVATED_AT, b -> b.deactivatedAt(Optional.empty()));
    CLEARERS.put(UserField.LAST_ACTIVITY_AT, b -> b.lastActivityAt(Optional.empty()));
    CLEARERS.put(UserField.LAST_LOGIN_AT, b -> b.lastLoginAt(Optional.empty()));
    CLEARERS.put(UserField.INVITED_AT, b -> b.invitedAt(Optional.empty()));
    CLEARERS.put(UserField.INVITE_SCHEDULED_AT, b -> b.inviteScheduledAt(Optional.empty()));
    CLEARERS.put(UserField.ACTIVATION_SCHEDULED_AT, b -> b.activationScheduledAt(Optional.empty()));
    CLEARERS.put(UserField.TIME_ZONE, b -> b.timeZone(Optional.empty()));
    CLEARERS.put(UserField.LANGUAGE, b -> b.language(Optional.empty()));
    for (UserField f : UserField.values()) {
      if (f.required() == CLEARERS.containsKey(f)) {
        throw new IllegalStateException("a clearer for every field that is not required: " + f);
      }
    }
  }

  private static final Map<UserField, Function<User, Object>> GETTERS =
      new EnumMap<>(UserField.class);
  private static final Map<UserField, BiFunction<ImmutableUser, Optional<Object>, User>> SETTERS =
      new EnumMap<>(UserField.class);

  private static final Map<UserField, BiConsumer<User.Builder, Object>> BUILDERS =
      new EnumMap<>(UserField.class);

  private static void def(
      UserField f,
      Function<User, Object> get,
      BiFunction<ImmutableUser, Optional<Object>, User> set) {
    GETTERS.put(f, get);
    SETTERS.put(f, set);
  }

  private static <T> T cast(Optional<Object> v, Class<T> type) {
    return type.cast(v.orElseThrow());
  }

  @SuppressWarnings("unchecked")
  private static <T> Optional<T> opt(Optional<Object> v) {
    return (Optional<T>) v;
  }

  @SuppressWarnings("unchecked")
  private static <T> Iterable<T> elements(Optional<Object> v) {
    return v.isPresent() ? (Iterable<T>) v.get() : Set.of();
  }

  static {
    BUILDERS.put(UserField.DISPLAY_NAME, (b, v) -> b.displayName((String) v));
    BUILDERS.put(UserField.FIRST_NAME, (b, v) -> b.firstName((String) v));
    BUILDERS.put(UserField.LAST_NAME, (b, v) -> b.lastName((String) v));
    BUILDERS.put(UserField.INITIALS, (b, v) -> b.initials((String) v));
    BUILDERS.put(UserField.USERNAME, (b, v) -> b.username((String) v));
    BUILDERS.put(UserField.PRIMARY_EMAIL, (b, v) -> b.primaryEmail((EmailAddress) v));
    BUILDERS.put(UserField.PHONE_NUMBER, (b, v) -> b.phoneNumber((PhoneNumber) v));
    BUILDERS.put(UserField.ROLE, (b, v) -> b.role((Role) v));
    BUILDERS.put(UserField.STATUS, (b, v) -> b.status((UserStatus) v));
    BUILDERS.put(UserField.JOB_TITLE, (b, v) -> b.jobTitle((String) v));
    BUILDERS.put(UserField.POSITION, (b, v) -> b.position((String) v));
    BUILDERS.put(UserField.DEPARTMENT, (b, v) -> b.department((String) v));
    BUILDERS.put(UserField.COMPANY, (b, v) -> b.company((String) v));
    BUILDERS.put(UserField.LOCATION, (b, v) -> b.location((String) v));
    BUILDERS.put(UserField.OFFICE, (b, v) -> b.office((String) v));
    BUILDERS.put(UserField.USER_TYPE, (b, v) -> b.userType((String) v));
    BUILDERS.put(UserField.EMPLOYEE_ID, (b, v) -> b.employeeId((String) v));
    BUILDERS.put(UserField.MANAGER_ID, (b, v) -> b.managerId((UserId) v));
    BUILDERS.put(UserField.HIRE_DATE, (b, v) -> b.hireDate((LocalDate) v));
    BUILDERS.put(UserField.DEACTIVATED_AT, (b, v) -> b.deactivatedAt((Instant) v));
    BUILDERS.put(UserField.LAST_ACTIVITY_AT, (b, v) -> b.lastActivityAt((Instant) v));
    BUILDERS.put(UserField.LAST_LOGIN_AT, (b, v) -> b.lastLoginAt((Instant) v));
    BUILDERS.put(UserField.INVITED_AT, (b, v) -> b.invitedAt((Instant) v));
    BUILDERS.put(UserField.INVITE_SCHEDULED_AT, (b, v) -> b.inviteScheduledAt((Instant) v));
    BUILDERS.put(UserField.ACTIVATION_SCHEDULED_AT, (b, v) -> b.activationScheduledAt((Instant) v));
    BUILDERS.put(UserField.TAKING_A_BREAK, (b, v) -> b.takingABreak((Boolean) v));
    BUILDERS.put(UserField.TIME_ZONE, (b, v) -> b.timeZone((ZoneId) v));
    BUILDERS.put(UserField.LANGUAGE, (b, v) -> b.language((String) v));
    BUILDERS.put(UserField.SKILLS_COUNT, (b, v) -> b.skillsCount((Integer) v));
    BUILDERS.put(UserField.LOCKED_OUT, (b, v) -> b.lockedOut((Boolean) v));
    BUILDERS.put(UserField.MFA_REQUIRED, (b, v) -> b.mfaRequired((Boolean) v));
    BUILDERS.put(UserField.PASSWORD_STATE, (b, v) -> b.passwordState((PasswordState) v));
    BUILDERS.put(UserField.CREATED_AT, (b, v) -> b.createdAt((Instant) v));
    def(
        UserField.DISPLAY_NAME,
        User::displayName,
        (u, v) -> u.withDisplayName(cast(v, String.class)));
    def(UserField.FIRST_NAME, User::firstName, (u, v) -> u.withFirstName(opt(v)));
    def(UserField.LAST_NAME, User::lastName, (u, v) -> u.withLastName(opt(v)));
    def(UserField.INITIALS, User::initials, (u, v) -> u.withInitials(opt(v)));
    def(UserField.USERNAME, User::username, (u, v) -> u.withUsername(opt(v)));
    def(UserField.PRIMARY_EMAIL, User::primaryEmail, (u, v) -> u.withPrimaryEmail(opt(v)));
    def(UserField.PHONE_NUMBER, User::phoneNumber, (u, v) -> u.withPhoneNumber(opt(v)));
    def(UserField.ROLE, User::role, (u, v) -> u.withRole(cast(v, Role.class)));
    def(UserField.DOMAIN_ROLES, User::domainRoles, (u, v) -> u.withDomainRoles(elements(v)));
    def(UserField.STATUS, User::status, (u, v) -> u.withStatus(cast(v, UserStatus.class)));
    def(UserField.MODULES, User::modules, (u, v) -> u.withModules(elements(v)));
    def(UserField.GROUPS, User::groups, (u, v) -> u.withGroups(elements(v)));
    def(
        UserField.PERMISSION_GRANTS,
        User::permissionGrants,
        (u, v) -> u.withPermissionGrants(elements(v)));
    def(
        UserField.PERMISSION_REVOCATIONS,
        User::permissionRevocations,
        (u, v) -> u.withPermissionRevocations(elements(v)));
    def(UserField.JOB_TITLE, User::jobTitle, (u, v) -> u.withJobTitle(opt(v)));
    def(UserField.POSITION, User::position, (u, v) -> u.withPosition(opt(v)));
    def(UserField.DEPARTMENT, User::department, (u, v) -> u.withDepartment(opt(v)));
    def(UserField.COMPANY, User::company, (u, v) -> u.withCompany(opt(v)));
    def(UserField.LOCATION, User::location, (u, v) -> u.withLocation(opt(v)));
    def(UserField.OFFICE, User::office, (u, v) -> u.withOffice(opt(v)));
    def(UserField.USER_TYPE, User::userType, (u, v) -> u.withUserType(opt(v)));
    def(UserField.EMPLOYEE_ID, User::employeeId, (u, v) -> u.withEmployeeId(opt(v)));
    def(UserField.MANAGER_ID, User::managerId, (u, v) -> u.withManagerId(opt(v)));
    def(UserField.HIRE_DATE, User::hireDate, (u, v) -> u.withHireDate(opt(v)));
    def(UserField.DEACTIVATED_AT, User::deactivatedAt, (u, v) -> u.withDeactivatedAt(opt(v)));
    def(UserField.LAST_ACTIVITY_AT, User::lastActivityAt, (u, v) -> u.withLastActivityAt(opt(v)));
    def(UserField.LAST_LOGIN_AT, User::lastLoginAt, (u, v) -> u.withLastLoginAt(opt(v)));
    def(UserField.INVITED_AT, User::invitedAt, (u, v) -> u.withInvitedAt(opt(v)));
    def(
        UserField.INVITE_SCHEDULED_AT,
        User::inviteScheduledAt,
        (u, v) -> u.withInviteScheduledAt(opt(v)));
    def(
        UserField.ACTIVATION_SCHEDULED_AT,
        User::activationScheduledAt,
        (u, v) -> u.withActivationScheduledAt(opt(v)));
    def(
        UserField.TAKING_A_BREAK,
        User::takingABreak,
        (u, v) -> u.withTakingABreak(cast(v, Boolean.class)));
    def(UserField.TIME_ZONE, User::timeZone, (u, v) -> u.withTimeZone(opt(v)));
    def(UserField.LANGUAGE, User::language, (u, v) -> u.withLanguage(opt(v)));
    def(
        UserField.SKILLS_COUNT,
        User::skillsCount,
        (u, v) -> u.withSkillsCount(cast(v, Integer.class)));
    def(UserField.LOCKED_OUT, User::lockedOut, (u, v) -> u.withLockedOut(cast(v, Boolean.class)));
    def(
        UserField.MFA_REQUIRED,
        User::mfaRequired,
        (u, v) -> u.withMfaRequired(cast(v, Boolean.class)));
    def(
        UserField.PASSWORD_STATE,
        User::passwordState,
        (u, v) -> u.withPasswordState(cast(v, PasswordState.class)));
    def(UserField.CREATED_AT, User::createdAt, (u, v) -> u.withCreatedAt(cast(v, Instant.class)));
  }
}
