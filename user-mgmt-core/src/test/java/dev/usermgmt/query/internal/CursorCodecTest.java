package dev.usermgmt.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.UserId;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

final class CursorCodecTest {
  private static final byte[] KEY = "cursor test key, sixteen+".getBytes(StandardCharsets.UTF_8);
  private static final CursorCodec CODEC = CursorCodec.withKey(KEY);
  private static final UserQuery BY_ACTIVITY = query("-lastActivity");

  private static UserQuery query(String sort) {
    return UserQuery.builder().sort(List.of(SortKey.parse(sort))).pageSize(50).build();
  }

  @Test
  void everyInstantComesBackExactlyWhateverItsEpochAndNanos() {
    Gen<Instant> instants =
        SourceDSL.longs()
            .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
            .zip(SourceDSL.integers().between(0, 999_999_999), Instant::ofEpochSecond);
    qt().forAll(instants)
        .checkAssert(
            t -> {
              Keyset k = new Keyset(List.of(Optional.of(t)), UserId.of("u1"));
              assertThat(CODEC.decode(BY_ACTIVITY, CODEC.encode(BY_ACTIVITY, k))).isEqualTo(k);
            });
  }

  @Test
  void everyValueTypeAndAMissingValueComeBack() {
    UserQuery q =
        UserQuery.builder()
            .sort(
                List.of(
                    SortKey.parse("displayName"),
                    SortKey.parse("hireDate"),
                    SortKey.parse("-lastActivity"),
                    SortKey.parse("department")))
            .build();
    Keyset k =
        new Keyset(
            List.of(
                Optional.of("Zoë: 3:x"),
                Optional.of(LocalDate.of(1999, 12, 31)),
                Optional.of(Instant.parse("1969-12-31T23:59:59.000000001Z")),
                Optional.empty()),
            UserId.of("u:7"));
    assertThat(CODEC.decode(q, CODEC.encode(q, k))).isEqualTo(k);
    Keyset numbers =
        new Keyset(List.of(Optional.of(new BigDecimal("-12.50")), Optional.of(7)), UserId.of("u"));
    assertThat(CODEC.decode(q2(), CODEC.encode(q2(), numbers))).isEqualTo(numbers);
  }

  private static UserQuery q2() {
    return UserQuery.builder()
        .sort(List.of(SortKey.parse("employeeId"), SortKey.parse("displayName")))
        .build();
  }

  @Test
  void aCursorSignedBeforeTheEpochFormStillDecodes() throws Exception {
    // the ISO-8601 form ("t…") earlier versions wrote, signed as they signed it
    String payload = "2:u125:t2025-03-04T05:06:07.123Z";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    mac.update(BY_ACTIVITY.fingerprint().getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] sig = Arrays.copyOf(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)), 16);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String cursor =
        b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(sig);
    assertThat(CODEC.decode(BY_ACTIVITY, cursor))
        .isEqualTo(
            new Keyset(
                List.of(Optional.of(Instant.parse("2025-03-04T05:06:07.123Z"))), UserId.of("u1")));
  }

  @Test
  void anAlteredCursorOrOneOfAnotherQueryOrKeyIsRefused() {
    String cursor =
        CODEC.encode(BY_ACTIVITY, new Keyset(List.of(Optional.of(Instant.EPOCH)), UserId.of("u1")));
    char last = cursor.charAt(cursor.length() - 1);
    String altered = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
    for (String bad : List.of(altered, cursor.replace('.', '_'), "", ".", "x.y")) {
      assertThatThrownBy(() -> CODEC.decode(BY_ACTIVITY, bad))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.problems().get(0).code()).isEqualTo(ErrorCode.INVALID_CURSOR));
    }
    assertThatThrownBy(() -> CODEC.decode(query("lastActivity"), cursor))
        .isInstanceOf(InvalidInputException.class);
    CursorCodec other = CursorCodec.withKey("another key of sixteen bytes".getBytes());
    assertThatThrownBy(() -> other.decode(BY_ACTIVITY, cursor))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void oneCodecSignsAndChecksFromManyThreadsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    Keyset k =
                        new Keyset(
                            List.of(Optional.of(Instant.ofEpochSecond(seed * 1_000_000L + i))),
                            UserId.of("u" + seed + "-" + i));
                    if (!CODEC.decode(BY_ACTIVITY, CODEC.encode(BY_ACTIVITY, k)).equals(k)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : done) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
