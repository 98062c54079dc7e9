package dev.usermgmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class ErrorCodeTest {

  @Test
  void idsAreStableSnakeCaseAndUnique() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::id))
        .allMatch(id -> id.matches("[a-z]+(_[a-z]+)*"))
        .doesNotHaveDuplicates();
    assertThat(ErrorCode.byId("EMAIL_TAKEN")).contains(ErrorCode.EMAIL_TAKEN);
    assertThat(ErrorCode.byId("nope")).isEmpty();
  }

  @Test
  void exceptionsPickTheirCategorySubclassAndCarryTheLocation() {
    Problem p =
        Problem.ofField(ErrorCode.INVALID_EMAIL, "primaryEmail", "bad").atRow(7).atColumn("Email");
    UserMgmtException e = UserMgmtException.of(p);
    assertThat(e).isInstanceOf(InvalidInputException.class);
    assertThat(e.row()).hasValue(7);
    assertThat(e.column()).contains("Email");
    assertThat(e.getMessage()).contains("invalid_email").contains("row 7").contains("Email");
    assertThat(UserMgmtException.of(Problem.of(ErrorCode.STALE_PLAN, "x")))
        .isInstanceOf(ConflictException.class);
    assertThat(UserMgmtException.of(Problem.of(ErrorCode.USER_NOT_FOUND, "x")))
        .isInstanceOf(NotFoundException.class);
    assertThat(ErrorCode.VERSION_CONFLICT.category().httpStatus()).isEqualTo(409);
  }
}
