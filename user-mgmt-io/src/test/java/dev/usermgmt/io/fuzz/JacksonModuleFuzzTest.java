package dev.usermgmt.io.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.io.json.UserMgmtJacksonModule;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import java.util.List;

/**
 * Fuzzes the Jackson module's readers and the value parsers behind them: any JSON gives a value, a
 * Jackson {@link JsonProcessingException} whose cause (if any) is a {@link UserMgmtException}, or a
 * {@link UserMgmtException}; the parsers alone give a value or a {@link UserMgmtException}. Seeds
 * under {@code src/test/resources/dev/usermgmt/io/fuzz/JacksonModuleFuzzTestInputs/}.
 */
final class JacksonModuleFuzzTest {
  static final ObjectMapper JSON =
      new ObjectMapper().registerModule(UserMgmtJacksonModule.create());
  static final List<Class<?>> TYPES =
      List.of(
          DeactivationRequest.class,
          EmailAddress.class,
          PhoneNumber.class,
          UserId.class,
          TenantId.class);

  @FuzzTest(maxDuration = "10m")
  void json(FuzzedDataProvider data) {
    Class<?> type = TYPES.get(data.consumeInt(0, TYPES.size() - 1));
    String text = data.consumeRemainingAsString();
    try {
      JSON.readValue(text, type);
    } catch (UserMgmtException expected) {
      // an answer
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      if (cause != null
          && !(cause instanceof UserMgmtException)
          && !(cause instanceof JsonProcessingException)) {
        throw new AssertionError("Jackson wrapped " + cause, e);
      }
    }
    FuzzInvariant.holds(() -> EmailAddress.parse(text));
    FuzzInvariant.holds(() -> PhoneNumber.parse(text));
    FuzzInvariant.holds(() -> UserId.of(text));
    FuzzInvariant.holds(() -> TenantId.of(text));
  }
}
