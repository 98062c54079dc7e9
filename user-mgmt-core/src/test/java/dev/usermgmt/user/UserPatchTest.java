package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class UserPatchTest {

  @Test
  void setsAndClearsFieldsAndAttributes() {
    User before =
        UserTest.alex()
            .department("Sales")
            .putAttributes("level", AttributeValue.number(1))
            .build();
    UserPatch patch =
        UserPatch.builder()
            .set(UserField.DEPARTMENT, "  Engineering ")
            .clear(UserField.LAST_NAME)
            .set(UserField.MODULES, Set.of("LXP", "LMS"))
            .attribute("level", AttributeValue.number(2))
            .build();
    User after = patch.applyTo(before);
    assertThat(after.department()).contains("Engineering");
    assertThat(after.lastName()).isEmpty();
    assertThat(after.modules()).containsExactly("LMS", "LXP");
    assertThat(after.attributes()).containsEntry("level", AttributeValue.number(2));
    assertThat(after.version()).isEqualTo(before.version());
  }

  @Test
  void refusesSystemFieldsRequiredClearsAndWrongTypes() {
    assertThatThrownBy(() -> UserPatch.builder().set(UserField.STATUS, UserStatus.ACTIVE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lifecycle");
    assertThatThrownBy(() -> UserPatch.builder().clear(UserField.ROLE))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.MISSING_FIELD);
    assertThatThrownBy(() -> UserPatch.builder().set(UserField.HIRE_DATE, "2024-01-01"))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field().orElseThrow())
        .isEqualTo("hireDate");
  }

  /**
   * Swapping the only contact for the other in one patch is a valid edit: the patch is judged by
   * the user it leaves, not by a state in between.
   */
  @Test
  void swapsTheOnlyContactForTheOther() {
    User emailOnly = UserTest.alex().build();
    PhoneNumber phone = PhoneNumber.parse("+442079460958");
    User phoneOnly =
        UserPatch.builder()
            .clear(UserField.PRIMARY_EMAIL)
            .set(UserField.PHONE_NUMBER, phone)
            .build()
            .applyTo(emailOnly);
    assertThat(phoneOnly.primaryEmail()).isEmpty();
    assertThat(phoneOnly.phoneNumber()).contains(phone);
    User back =
        UserPatch.builder()
            .set(UserField.PRIMARY_EMAIL, emailOnly.primaryEmail().orElseThrow())
            .clear(UserField.PHONE_NUMBER)
            .build()
            .applyTo(phoneOnly);
    assertThat(back).isEqualTo(emailOnly);
  }

  /** A patch is judged by the user it leaves, with every problem of that user listed. */
  @Test
  void listsEveryProblemOfTheUserAPatchLeaves() {
    UserPatch patch =
        UserPatch.builder()
            .set(UserField.JOB_TITLE, "x".repeat(UserField.MAX_TEXT + 1))
            .clear(UserField.PRIMARY_EMAIL)
            .build();
    assertThatThrownBy(() -> patch.applyTo(UserTest.alex().build()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).problems())
                    .extracting(dev.usermgmt.Problem::code)
                    .contains(ErrorCode.EMAIL_OR_PHONE_REQUIRED, ErrorCode.INVALID_VALUE));
  }

  @Test
  void clearingTheOnlyContactIsRejected() {
    UserPatch patch = UserPatch.builder().clear(UserField.PRIMARY_EMAIL).build();
    assertThatThrownBy(() -> patch.applyTo(UserTest.alex().build()))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.EMAIL_OR_PHONE_REQUIRED);
  }

  @Test
  void checksAttributesAgainstTheSchema() {
    AttributeSchema schema =
        AttributeSchema.of(
            List.of(
                AttributeDefinition.builder()
                    .key("level")
                    .label("Level")
                    .type(AttributeType.NUMBER)
                    .required(true)
                    .build()));
    UserPatch patch =
        UserPatch.builder()
            .attribute("level", AttributeValue.text("high"))
            .attribute("nope", AttributeValue.bool(true))
            .build();
    assertThat(patch.validateAttributes(schema))
        .extracting(p -> p.code())
        .containsExactlyInAnyOrder(ErrorCode.INVALID_ATTRIBUTE_VALUE, ErrorCode.UNKNOWN_ATTRIBUTE);
    assertThat(UserPatch.builder().clearAttribute("level").build().validateAttributes(schema))
        .extracting(p -> p.code())
        .containsExactly(ErrorCode.MISSING_FIELD);
  }
}
