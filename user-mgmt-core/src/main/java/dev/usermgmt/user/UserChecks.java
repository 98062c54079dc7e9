package dev.usermgmt.user;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.internal.ValueDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What makes a user record invalid: the contact rule, every value against the value model, and the
 * bookkeeping fields. {@link User} runs it on every build, so no invalid user exists.
 */
final class UserChecks {
  private UserChecks() {}

  static List<Problem> problems(User u) {
    List<Problem> problems = new ArrayList<>();
    if (u.primaryEmail().isEmpty()
        && u.phoneNumber().isEmpty()
        && u.status() != UserStatus.ANONYMISED) {
      problems.add(
          Problem.ofField(
              ErrorCode.EMAIL_OR_PHONE_REQUIRED,
              "primaryEmail",
              "an e-mail address or a phone number is required"));
    }
    checkText(problems, "displayName", Optional.of(u.displayName()));
    checkText(problems, "firstName", u.firstName());
    checkText(problems, "lastName", u.lastName());
    checkText(problems, "initials", u.initials());
    checkText(problems, "username", u.username());
    checkText(problems, "jobTitle", u.jobTitle());
    checkText(problems, "position", u.position());
    checkText(problems, "department", u.department());
    checkText(problems, "company", u.company());
    checkText(problems, "location", u.location());
    checkText(problems, "office", u.office());
    checkText(problems, "userType", u.userType());
    checkText(problems, "employeeId", u.employeeId());
    checkText(problems, "language", u.language());
    ValueDomain.names("modules", u.modules(), problems);
    ValueDomain.names("groups", u.groups(), problems);
    ValueDomain.names("permissionGrants", u.permissionGrants(), problems);
    ValueDomain.names("permissionRevocations", u.permissionRevocations(), problems);
    u.hireDate().flatMap(d -> ValueDomain.date("hireDate", d)).ifPresent(problems::add);
    checkInstant(problems, "deactivatedAt", u.deactivatedAt());
    checkInstant(problems, "lastActivityAt", u.lastActivityAt());
    checkInstant(problems, "lastLoginAt", u.lastLoginAt());
    checkInstant(problems, "invitedAt", u.invitedAt());
    checkInstant(problems, "inviteScheduledAt", u.inviteScheduledAt());
    checkInstant(problems, "activationScheduledAt", u.activationScheduledAt());
    checkInstant(problems, "createdAt", Optional.of(u.createdAt()));
    checkInstant(problems, "updatedAt", Optional.of(u.updatedAt()));
    u.attributes()
        .forEach(
            (key, value) ->
                value.domainProblem(AttributeSchema.fieldOf(key)).ifPresent(problems::add));
    if (u.skillsCount() < 0) {
      problems.add(Problem.ofField(ErrorCode.INVALID_VALUE, "skillsCount", "must not be negative"));
    }
    if (u.version() < 0) {
      problems.add(Problem.ofField(ErrorCode.INVALID_VALUE, "version", "must not be negative"));
    }
    if (u.managerId().isPresent() && u.managerId().get().equals(u.id())) {
      problems.add(
          Problem.ofField(ErrorCode.MANAGER_CYCLE, "managerId", "a user cannot manage themself"));
    }
    return problems;
  }

  private static void checkText(List<Problem> problems, String field, Optional<String> value) {
    if (value.isPresent()) {
      String v = value.get();
      if (v.isEmpty() || !v.equals(dev.usermgmt.internal.Texts.trim(v))) {
        problems.add(
            Problem.ofField(
                ErrorCode.INVALID_VALUE, field, field + " must be trimmed and not blank"));
      } else {
        ValueDomain.text(field, v, UserField.MAX_TEXT).ifPresent(problems::add);
      }
    }
  }

  private static void checkInstant(List<Problem> problems, String field, Optional<Instant> t) {
    t.flatMap(i -> ValueDomain.instant(field, i)).ifPresent(problems::add);
  }
}
