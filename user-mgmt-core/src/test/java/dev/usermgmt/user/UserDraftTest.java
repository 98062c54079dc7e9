package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Validation;
import org.junit.jupiter.api.Test;

final class UserDraftTest {

  @Test
  void aValidDraftHasNoViolations() {
    UserDraft d =
        UserDraft.builder()
            .displayName("Alex Doe")
            .primaryEmail(EmailAddress.parse("alex@example.com"))
            .language("en-GB")
            .build();
    assertThat(Validation.problems(d)).isEmpty();
  }

  @Test
  void reportsEveryViolationAtOnceWithItsField() {
    UserDraft d =
        UserDraft.builder()
            .displayName("x".repeat(501))
            .employeeId("")
            .language("not a tag!")
            .build();
    assertThat(Validation.problems(d))
        .extracting(Problem::code, p -> p.field().orElse(""))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "displayName"),
            org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "employeeId"),
            org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "language"),
            org.assertj.core.groups.Tuple.tuple(ErrorCode.EMAIL_OR_PHONE_REQUIRED, "primaryEmail"));
  }

  @Test
  void aKeyPutTwiceIntoAnyBuilderMapIsAnInputErrorNotARawException() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    () ->
                        UserDraft.builder()
                            .displayName("Alex Doe")
                            .putAttributes("desk", dev.usermgmt.attribute.AttributeValue.text("4F"))
                            .putAttributes("desk", dev.usermgmt.attribute.AttributeValue.text("5F"))
                            .build(),
                    dev.usermgmt.InvalidInputException.class)
                .problems())
        .extracting(Problem::code, p -> p.field().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "attributes"));
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    () ->
                        dev.usermgmt.tenant.TenantSettings.builder()
                            .putInitialStatus(
                                dev.usermgmt.tenant.CreationChannel.MANUAL, UserStatus.ACTIVE)
                            .putInitialStatus(
                                dev.usermgmt.tenant.CreationChannel.MANUAL, UserStatus.STAGED)
                            .build(),
                    dev.usermgmt.InvalidInputException.class)
                .problems())
        .extracting(Problem::code, p -> p.field().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "initialStatus"));
  }
}
