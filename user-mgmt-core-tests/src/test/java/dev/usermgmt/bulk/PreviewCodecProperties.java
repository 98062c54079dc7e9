package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.FieldDiff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/**
 * Every preview a plan keeps on disk reads back equal: any text (surrogates, controls), absent and
 * present values, every kind, attribute type, code and redaction.
 */
final class PreviewCodecProperties {
  @Test
  void aPreviewReadsBackAsItWasWritten() {
    qt().withExamples(300)
        .forAll(SourceDSL.longs().all(), SourceDSL.strings().allPossible().ofLengthBetween(0, 40))
        .checkAssert(
            (seed, text) -> {
              RowPreview r = preview(new Random(seed), text);
              assertThat(roundTrip(r)).isEqualTo(r);
            });
  }

  private static RowPreview roundTrip(RowPreview r) {
    try {
      PreviewCodec.Output out = new PreviewCodec.Output();
      PreviewCodec.write(out, r);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      out.drainTo(bytes);
      byte[] written = bytes.toByteArray();
      PreviewCodec.Input in = new PreviewCodec.Input(written, 0, written.length);
      RowPreview back = PreviewCodec.read(in);
      assertThat(in.atEnd()).isTrue();
      return back;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static RowPreview preview(Random random, String text) {
    RowPreview.Kind[] kinds = RowPreview.Kind.values();
    Optional<PlannedUser> user =
        random.nextBoolean()
            ? Optional.of(
                new PlannedUser(
                    UserId.of("u" + random.nextInt(1000)),
                    random.nextLong(),
                    maybe(random, text),
                    maybe(random, text + "a"),
                    maybe(random, "b" + text),
                    text))
            : Optional.empty();
    List<FieldDiff> diffs = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      FieldDiff.Builder d =
          FieldDiff.builder()
              .field("f" + text)
              .before(maybe(random, text))
              .after(maybe(random, ""));
      if (random.nextBoolean()) {
        AttributeType[] types = AttributeType.values();
        d.attributeType(types[random.nextInt(types.length)]);
      }
      diffs.add(
          d.redacted(random.nextBoolean())
              .sensitive(random.nextBoolean())
              .hiddenFromManagers(random.nextBoolean())
              .build());
    }
    List<Problem> problems = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      ErrorCode[] codes = ErrorCode.values();
      problems.add(
          Problem.builder()
              .code(codes[random.nextInt(codes.length)])
              .message(text)
              .field(maybe(random, "field"))
              .row(
                  random.nextBoolean()
                      ? OptionalLong.of(random.nextLong() & Long.MAX_VALUE)
                      : OptionalLong.empty())
              .column(maybe(random, text))
              .build());
    }
    return new RowPreview(
        random.nextLong(), kinds[random.nextInt(kinds.length)], text, user, diffs, problems);
  }

  private static Optional<String> maybe(Random random, String text) {
    return random.nextBoolean() ? Optional.of(text) : Optional.empty();
  }
}
