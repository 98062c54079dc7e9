package dev.usermgmt.user;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.ValueDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a user record invalid: the contact rule, every value against the value model, and the
 * bookkeeping fields. {@link User} runs it on every build, so no invalid user exists.
 */
final class UserChecks {
  private UserChecks() {}

  static List<Problem> problems(User u) {
    // written as plain branches, not Optional lambdas: this runs on every user built, and a valid
    // user (nearly every one, a page or a file at a time) must cost no allocation here
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
    checkText(problems, "displayName", u.displayName());
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
    if (u.hireDate().isPresent()) {
      add(problems, ValueDomain.date("hireDate", u.hireDate().get()));
    }
    checkInstant(problems, "deactivatedAt", u.deactivatedAt());
    checkInstant(problems, "lastActivityAt", u.lastActivityAt());
    checkInstant(problems, "lastLoginAt", u.lastLoginAt());
    checkInstant(problems, "invitedAt", u.invitedAt());
    checkInstant(problems, "inviteScheduledAt", u.inviteScheduledAt());
    checkInstant(problems, "activationScheduledAt", u.activationScheduledAt());
    add(problems, ValueDomain.instant("createdAt", u.createdAt()));
    add(problems, ValueDomain.instant("updatedAt", u.updatedAt()));
    if (!u.attributes().isEmpty()) {
      for (Map.Entry<String, AttributeValue> e : u.attributes().entrySet()) {
        add(problems, e.getValue().domainProblem(AttributeSchema.fieldOf(e.getKey())));
      }
    }
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

  private static void add(List<Problem> problems, Optional<Problem> problem) {
    if (problem.isPresent()) {
      problems.add(problem.get());
    }
  }

  private static void checkText(List<Problem> problems, String field, Optional<String> value) {
    if (value.isPresent()) {
      checkText(problems, field, value.get());
    }
  }

  private static void checkText(List<Problem> problems, String field, String v) {
    if (v.isEmpty() || !v.equals(Texts.trim(v))) {
      problems.add(
          Problem.ofField(
              ErrorCode.INVALID_VALUE, field, field + " must be trimmed and not blank"));
    } else {
      add(problems, ValueDomain.text(field, v, UserField.MAX_TEXT));
    }
  }

  private static void checkInstant(List<Problem> problems, String field, Optional<Instant> t) {
    if (t.isPresent()) {
      add(problems, ValueDomain.instant(field, t.get()));
    }
  }
}
