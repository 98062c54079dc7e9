package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * A change set's stored text reads back as the change set it was written from, in both stored forms
 * (text and deflated), whatever its values hold of the text's own separators; and the text of a
 * known change set is, byte for byte, what every earlier version of the store wrote, so that change
 * sets already stored read as they did.
 */
final class ChangeSetCodecProperties {
  private static final TenantId TENANT = TenantId.of("codec");

  private static final List<String> TEXTS =
      List.of(
          "Sales",
          "",
          "a|b",
          "|",
          "\\0",
          "back\\slash\\",
          "\\p not a pipe",
          "line\nfeed\r\nand more",
          "Zoë Ångström \uD83D\uDE00",
          "x".repeat(300));

  private static Gen<String> text() {
    return SourceDSL.integers().between(0, TEXTS.size() - 1).map(TEXTS::get);
  }

  private static Gen<Optional<String>> maybe(Gen<String> g) {
    return SourceDSL.booleans()
        .all()
        .zip(g, (present, s) -> present ? Optional.of(s) : Optional.empty());
  }

  private static Gen<FieldDiff> diff() {
    return text()
        .zip(
            maybe(text()),
            maybe(text()),
            SourceDSL.integers().between(0, 7),
            SourceDSL.integers().between(-1, AttributeType.values().length - 1),
            (field, before, after, bits, type) ->
                FieldDiff.builder()
                    .field(field.isEmpty() ? "f" : field)
                    .before(before)
                    .after(after)
                    .attributeType(
                        type < 0 ? Optional.empty() : Optional.of(AttributeType.values()[type]))
                    .redacted((bits & 1) != 0)
                    .sensitive((bits & 2) != 0)
                    .hiddenFromManagers((bits & 4) != 0)
                    .build());
  }

  private static Gen<UserChange> change() {
    return text()
        .zip(
            SourceDSL.integers().between(0, UserChange.Kind.values().length - 1),
            SourceDSL.longs().between(-1, Long.MAX_VALUE),
            SourceDSL.lists().of(diff()).ofSizeBetween(0, 4),
            (id, kind, version, diffs) ->
                UserChange.builder()
                    .userId(UserId.of("u" + id.length() + "-" + Math.abs(version % 1000)))
                    .kind(UserChange.Kind.values()[kind])
                    .versionBefore(version < 0 ? Optional.empty() : Optional.of(version))
                    .versionAfter(version < 0 ? Optional.of(1L) : Optional.empty())
                    .diffs(diffs)
                    .build());
  }

  private static Gen<ChangeSet> changeSet() {
    return text()
        .zip(
            maybe(text()),
            SourceDSL.lists().of(change()).ofSizeBetween(0, 40),
            SourceDSL.booleans().all(),
            (text, detail, changes, definition) -> {
              ChangeSet.Builder b =
                  ChangeSet.builder()
                      .id("cs-" + text.length())
                      .tenant(TENANT)
                      .sequence(7)
                      .actor(detail.map(d -> UserId.of("actor" + d.length())))
                      .actorDescription(text)
                      .at(Instant.parse("2026-03-04T05:06:07.123456789Z"))
                      .correlationId(text + "-corr")
                      .operation(text.isEmpty() ? "op" : text)
                      .detail(detail)
                      .changes(changes);
              if (definition) {
                b.addDefinitionChanges(
                    new ChangeSet.DefinitionChange(
                        "salary",
                        Optional.empty(),
                        Optional.of(
                            AttributeDefinition.builder()
                                .key("salary")
                                .type(AttributeType.NUMBER)
                                .sensitive(true)
                                .label("Salary, yearly | in \\ euros")
                                .build())));
              }
              return b.build();
            });
  }

  @Test
  void everyChangeSetReadsBackFromBothStoredForms() {
    qt().withExamples(300)
        .forAll(changeSet())
        .checkAssert(
            cs -> {
              String text = ChangeSetCodec.encode(cs);
              assertThat(ChangeSetCodec.load(TENANT, 7, text, null)).isEqualTo(cs);
              assertThat(ChangeSetCodec.load(TENANT, 7, null, ChangeSetCodec.deflate(text)))
                  .isEqualTo(cs);
            });
  }

  @Test
  void theTextIsTheFormatAlreadyStored() {
    List<UserChange> changes = new ArrayList<>();
    changes.add(
        UserChange.builder()
            .userId(UserId.of("u1"))
            .kind(UserChange.Kind.UPDATED)
            .versionBefore(4L)
            .versionAfter(5L)
            .addDiffs(
                FieldDiff.builder()
                    .field("department")
                    .before("R|D")
                    .after(Optional.empty())
                    .build(),
                FieldDiff.builder()
                    .field("attributes.salary")
                    .before(Optional.empty())
                    .after("1\\2\n3")
                    .attributeType(AttributeType.NUMBER)
                    .sensitive(true)
                    .build())
            .build());
    changes.add(
        UserChange.builder()
            .userId(UserId.of("u2"))
            .kind(UserChange.Kind.CREATED)
            .versionAfter(1L)
            .build());
    ChangeSet cs =
        ChangeSet.builder()
            .id("cs1")
            .tenant(TENANT)
            .actor(UserId.of("admin"))
            .actorDescription("Ann (admin)")
            .at(Instant.parse("2026-01-02T03:04:05Z"))
            .correlationId("plan-9")
            .operation("bulk.update")
            .changes(changes)
            .build();
    assertThat(ChangeSetCodec.encode(cs))
        .isEqualTo(
            "id|cs1\n"
                + "actor|admin\n"
                + "who|Ann (admin)\n"
                + "at|2026-01-02T03:04:05Z\n"
                + "corr|plan-9\n"
                + "op|bulk.update\n"
                + "detail|\\0\n"
                + "c|u1|UPDATED|4|5\n"
                + "d|department|R\\pD|\\0|\\0|0|0|0\n"
                + "d|attributes.salary|\\0|1\\\\2\\n3|NUMBER|0|1|0\n"
                + "c|u2|CREATED|\\0|1\n");
  }
}
