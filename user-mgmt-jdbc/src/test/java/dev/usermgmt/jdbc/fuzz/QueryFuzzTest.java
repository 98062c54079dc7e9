package dev.usermgmt.jdbc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.jdbc.internal.SqlTranslator;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.query.internal.CursorCodec;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the query path: a query string (search, filter, sort, page size, cursor) is parsed,
 * prepared, evaluated in memory over a few users, translated to SQL for every dialect, and its
 * cursor decoded; and cursors made for a query are decoded after fuzzed edits. Any input ends in a
 * result or a {@link UserMgmtException}. Seeds under {@code
 * src/test/resources/dev/usermgmt/jdbc/fuzz/QueryFuzzTestInputs/}.
 */
final class QueryFuzzTest {
  static final TenantId TENANT = TenantId.of("fuzz");
  static final AttributeSchema SCHEMA =
      AttributeSchema.of(
          List.of(
              AttributeDefinition.builder()
                  .key("level")
                  .label("Level")
                  .type(AttributeType.NUMBER)
                  .build(),
              AttributeDefinition.builder()
                  .key("start")
                  .label("Start")
                  .type(AttributeType.DATE)
                  .build(),
              AttributeDefinition.builder()
                  .key("remote")
                  .label("Remote")
                  .type(AttributeType.BOOLEAN)
                  .build()));
  static final List<User> USERS =
      List.of(
          Fixtures.user(TENANT, "a"),
          Fixtures.user(TENANT, "b").toBuilder()
              .department("R&D")
              .primaryEmail(EmailAddress.parse("b@example.com"))
              .attributes(
                  Map.of(
                      "level", AttributeValue.number(3),
                      "start", AttributeValue.date(LocalDate.of(2024, 3, 1)),
                      "remote", AttributeValue.bool(true)))
              .build());
  static final CursorCodec CURSORS =
      CursorCodec.withKey("fuzzing-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  static void holds(Runnable run) {
    try {
      run.run();
    } catch (UserMgmtException expected) {
      // an answer
    }
  }

  @FuzzTest(maxDuration = "10m")
  void queries(FuzzedDataProvider data) {
    String edit = data.consumeString(64);
    String text = data.consumeRemainingAsString();
    holds(
        () -> {
          UserQuery q = UserQuery.parse(text, SCHEMA);
          Optional<Keyset> after = q.cursor().map(c -> CURSORS.decode(q, c));
          PreparedQuery p =
              PreparedQuery.prepare(q, SCHEMA, RoleCatalog.defaultCatalog(), after, q.pageSize());
          QueryEvaluator e = QueryEvaluator.of(p, id -> List.of());
          for (User u : USERS) {
            if (e.matches(u)) {
              QueryEvaluator.Keyed k = e.keyed(u);
              e.isAfterStart(k);
              String cursor = CURSORS.encode(q, new Keyset(k.values(), u.id()));
              if (!CURSORS.decode(q, cursor).id().equals(u.id())) {
                throw new AssertionError("a cursor did not read back: " + cursor);
              }
              holds(() -> CURSORS.decode(q, cursor + edit));
              holds(() -> CURSORS.decode(q, edit + cursor));
            }
          }
          for (Dialect d : Dialect.values()) {
            SqlTranslator.select(p, TENANT, d);
            SqlTranslator.count(p, TENANT, d);
          }
          holds(() -> CURSORS.decode(q, edit));
          holds(() -> CURSORS.decode(UserQuery.all(), text));
          q.toQueryString();
          q.fingerprint();
        });
    holds(() -> UserId.of(text));
  }
}
