package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The document a store keeps reads back as the user it was written from: for random users with any
 * of their fields set (every field the model has, each kind at the edges of the value model:
 * instants from 1678 to 2261 with nanoseconds, text holding the document's own separators), {@code
 * decode(encode(u))} equals {@code u}. A document whose value is outside the value model is refused
 * by the user's checks, not read as something else; text padded by hand is read trimmed, as a
 * builder takes it.
 */
final class UserCodecProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final TenantId TENANT = TenantId.of("codec");

  private static final List<String> TEXTS =
      List.of(
          "Sales",
          "a=b",
          "back\\slash",
          "line\nfeed\r\nand more",
          "tab\there",
          "Zoë Ångström",
          "\uD83D\uDE00 smile",
          "attr.x:TEXT=y",
          "x".repeat(500));

  private static final List<Instant> INSTANTS =
      List.of(
          ValueDomain.MIN_INSTANT,
          ValueDomain.MAX_INSTANT,
          Instant.EPOCH,
          Instant.EPOCH.minusNanos(1),
          Instant.EPOCH.plusNanos(1),
          Instant.parse("2001-09-09T01:46:39.999999999Z"), // 18 digits of nanoseconds
          Instant.parse("2001-09-09T01:46:40Z"), // 19 digits
          Instant.parse("2026-01-01T00:00:00.000000001Z"),
          Instant.parse("1969-07-20T20:17:40Z"));

  private static final List<LocalDate> DATES =
      List.of(
          ValueDomain.MIN_DATE, ValueDomain.MAX_DATE, LocalDate.of(2026, 2, 28), LocalDate.EPOCH);

  /** A value of a field's kind, chosen by a seed. */
  private static Object value(UserField field, int seed) {
    int s = Math.floorMod(seed, 1 << 16);
    return switch (field.kind()) {
      case TEXT -> TEXTS.get(s % TEXTS.size());
      case EMAIL ->
          EmailAddress.parse(
              List.of("a@example.com", "Zoë@exämple.com", "o'neil+tag@Example.COM").get(s % 3));
      case PHONE -> PhoneNumber.ofE164(List.of("+14155550123", "+442071838750").get(s % 2));
      case ROLE -> ROLES.roles().get(s % ROLES.roles().size());
      case STATUS -> UserStatus.values()[s % UserStatus.values().length];
      case USER_ID -> UserId.of("manager-" + (s % 3));
      case DATE -> DATES.get(s % DATES.size());
      case INSTANT -> INSTANTS.get(s % INSTANTS.size());
      case BOOLEAN -> s % 2 == 0;
      case INTEGER -> List.of(0, 7, 1234567, Integer.MAX_VALUE).get(s % 4);
      case ZONE -> ZoneId.of(List.of("Europe/Paris", "UTC", "Asia/Kolkata").get(s % 3));
      case PASSWORD_STATE -> PasswordState.values()[s % PasswordState.values().length];
      case TEXT_SET -> Set.of(List.of("a", "b c", "Zoë").subList(0, 1 + s % 3).toArray());
      case DOMAIN_ROLES -> Set.of(DomainRole.of(DomainRole.PEOPLE, ROLES.roles().get(s % 2)));
    };
  }

  /** A user with the fields chosen by a mask set to values chosen by seeds. */
  private static Gen<User> users() {
    return SourceDSL.longs()
        .all()
        .zip(
            SourceDSL.integers().all(),
            SourceDSL.integers().between(0, 3),
            (mask, seed, attrs) -> {
              User base = Fixtures.user(TENANT, "u" + Math.floorMod(seed, 1000));
              User.Builder b = base.toBuilder().version(Math.floorMod(seed, 50));
              UserField[] fields = UserField.values();
              for (int i = 0; i < fields.length; i++) {
                if ((mask >>> i & 1) == 1) {
                  fields[i].setOn(b, value(fields[i], seed + i * 31));
                }
              }
              if (attrs > 0) {
                b.putAttributes("note", AttributeValue.text(TEXTS.get(attrs % TEXTS.size())));
              }
              if (attrs > 1) {
                b.putAttributes("amount", AttributeValue.number(new BigDecimal("-0.30000000001")));
              }
              if (attrs > 2) {
                b.putAttributes("since", AttributeValue.date(ValueDomain.MIN_DATE));
                b.putAttributes("remote", AttributeValue.bool(seed % 2 == 0));
                b.putAttributes("buddy", AttributeValue.userRef(UserId.of("u" + (seed & 7))));
              }
              b.updatedAt(INSTANTS.get(Math.floorMod(seed >> 8, INSTANTS.size())));
              try {
                return b.build();
              } catch (InvalidInputException e) {
                return base; // a combination the model refuses (no contact, self-managed)
              }
            });
  }

  @Test
  void aDocumentReadsBackAsTheUserItWasWrittenFrom() {
    qt().withExamples(2000)
        .forAll(users())
        .checkAssert(
            u ->
                assertThat(
                        UserCodec.decode(
                            u.tenant(), u.id().value(), u.version(), UserCodec.encode(u), ROLES))
                    .isEqualTo(u));
  }

  /**
   * The encoder reads the fields a user holds most by their own accessors; for random users it
   * writes what the general form writes: every field through {@link UserField#get} and {@link
   * UserField#format} in field order (instants as epoch nanoseconds), then the custom attributes
   * and {@code updatedAt}.
   */
  @Test
  void theEncoderWritesWhatTheGeneralFormWrites() {
    qt().withExamples(2000)
        .forAll(users())
        .checkAssert(u -> assertThat(UserCodec.encode(u)).isEqualTo(generalForm(u)));
  }

  /** The document as one loop over the fields writes it, each through the general accessor. */
  private static String generalForm(User u) {
    StringBuilder b = new StringBuilder();
    for (UserField f : UserField.values()) {
      f.get(u)
          .ifPresent(
              v ->
                  generalLine(
                      b,
                      f.key(),
                      v instanceof Instant t
                          ? Long.toString(t.getEpochSecond() * 1_000_000_000L + t.getNano())
                          : f.format(v)));
    }
    u.attributes()
        .forEach((k, v) -> generalLine(b, "attr." + k + ":" + v.type().name(), v.canonical()));
    Instant t = u.updatedAt();
    generalLine(b, "updatedAt", Long.toString(t.getEpochSecond() * 1_000_000_000L + t.getNano()));
    return b.toString();
  }

  private static void generalLine(StringBuilder b, String key, String value) {
    b.append(key).append('=').append(Escapes.escape(value)).append('\n');
  }

  @Test
  void aStoredValueOutsideTheValueModelIsRefusedAndPaddedTextIsTrimmed() {
    User u = Fixtures.user(TENANT, "u1");
    String doc = UserCodec.encode(u);
    // an instant past the model's last one (2262), as a hand-written row might hold
    String late = doc.replaceFirst("createdAt=\\d+", "createdAt=" + (Long.MAX_VALUE - 1));
    assertThat(late).isNotEqualTo(doc);
    assertThatThrownBy(() -> UserCodec.decode(TENANT, "u1", 1, late, ROLES))
        .isInstanceOf(InvalidInputException.class);
    String overflow = doc.replaceFirst("createdAt=\\d+", "createdAt=9223372036854775808");
    assertThatThrownBy(() -> UserCodec.decode(TENANT, "u1", 1, overflow, ROLES))
        .isInstanceOf(NumberFormatException.class);
    // text padded by hand reads back trimmed, as a field set on a builder is
    String padded = doc.replace("lastName=Last\n", "lastName= Last\t\n");
    assertThat(padded).isNotEqualTo(doc);
    assertThat(UserCodec.decode(TENANT, "u1", 1, padded, ROLES)).isEqualTo(u);
  }

  @Test
  void everyTextFieldPaddedByHandIsReadTrimmed() {
    for (UserField f : UserField.values()) {
      if (f.kind() != UserField.Kind.TEXT) {
        continue;
      }
      User u = f.setOn(Fixtures.user(TENANT, "u1").toBuilder(), "Sales").build();
      String doc = UserCodec.encode(u);
      String padded = doc.replace(f.key() + "=Sales\n", f.key() + "= Sales\t\n");
      assertThat(padded).as(f.key()).isNotEqualTo(doc);
      assertThat(UserCodec.decode(TENANT, "u1", 1, padded, ROLES)).as(f.key()).isEqualTo(u);
    }
  }

  @Test
  void aCorruptDocumentIsRefusedNotReadAsAnotherUser() {
    String doc = UserCodec.encode(Fixtures.user(TENANT, "u1"));
    // an attribute line that lost its '=' must not swallow the next line
    String lostEquals = doc.replace("updatedAt=", "attr.dept\nattr.cost:TEXT=42\nupdatedAt=");
    assertThatThrownBy(() -> UserCodec.decode(TENANT, "u1", 1, lostEquals, ROLES))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("attr.dept");
    // an unknown status or password state is the general parser's invalid value, as before
    for (String bad :
        List.of(
            doc.replace("status=ACTIVE\n", "status=DELETED\n"),
            doc.replace("passwordState=NONE\n", "passwordState=none\n"))) {
      assertThat(bad).isNotEqualTo(doc);
      assertThatThrownBy(() -> UserCodec.decode(TENANT, "u1", 1, bad, ROLES))
          .isInstanceOf(InvalidInputException.class);
    }
    // an escaped name still reads as the name, as the general parser unescapes first
    String escaped = doc.replace("status=ACTIVE\n", "status=\\ACTIVE\n");
    assertThat(UserCodec.decode(TENANT, "u1", 1, escaped, ROLES))
        .isEqualTo(Fixtures.user(TENANT, "u1"));
  }
}
