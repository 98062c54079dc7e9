package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.FieldDiff;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The compact binary form of a row preview in a plan's spill file. */
final class PreviewCodec {

  private PreviewCodec() {}

  static void write(DataOutput out, RowPreview r) throws IOException {
    out.writeLong(r.row());
    out.writeUTF(r.kind().name());
    text(out, r.key());
    out.writeBoolean(r.user().isPresent());
    if (r.user().isPresent()) {
      PlannedUser u = r.user().get();
      text(out, u.id().value());
      out.writeLong(u.version());
      optional(out, u.primaryEmail());
      optional(out, u.firstName());
      optional(out, u.lastName());
      text(out, u.displayName());
    }
    out.writeInt(r.diffs().size());
    for (FieldDiff d : r.diffs()) {
      text(out, d.field());
      optional(out, d.before());
      optional(out, d.after());
      out.writeUTF(d.attributeType().map(AttributeType::name).orElse(""));
      out.writeBoolean(d.redacted());
    }
    out.writeInt(r.problems().size());
    for (Problem p : r.problems()) {
      text(out, p.code().name());
      text(out, p.message());
      optional(out, p.field());
      out.writeBoolean(p.row().isPresent());
      out.writeLong(p.row().orElse(0));
      optional(out, p.column());
    }
  }

  static RowPreview read(DataInput in) throws IOException {
    long row = in.readLong();
    RowPreview.Kind kind = RowPreview.Kind.valueOf(in.readUTF());
    String key = text(in);
    Optional<PlannedUser> user = Optional.empty();
    if (in.readBoolean()) {
      user =
          Optional.of(
              new PlannedUser(
                  UserId.of(text(in)),
                  in.readLong(),
                  optional(in),
                  optional(in),
                  optional(in),
                  text(in)));
    }
    int n = in.readInt();
    List<FieldDiff> diffs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      FieldDiff.Builder d = FieldDiff.builder();
      d.field(text(in)).before(optional(in)).after(optional(in));
      String type = in.readUTF();
      if (!type.isEmpty()) {
        d.attributeType(AttributeType.valueOf(type));
      }
      diffs.add(d.redacted(in.readBoolean()).build());
    }
    n = in.readInt();
    List<Problem> problems = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Problem.Builder p =
          Problem.builder().code(ErrorCode.valueOf(text(in))).message(text(in)).field(optional(in));
      boolean hasRow = in.readBoolean();
      long at = in.readLong();
      problems.add(
          p.row(hasRow ? OptionalLong.of(at) : OptionalLong.empty()).column(optional(in)).build());
    }
    return new RowPreview(row, kind, key, user, diffs, problems);
  }

  /**
   * Text as its length in chars and each char in one to three bytes (as modified UTF-8 does, with
   * no length limit): ASCII stays one byte, and any Java string — a lone surrogate too — reads back
   * unchanged.
   */
  private static void text(DataOutput out, String s) throws IOException {
    int n = s.length();
    out.writeInt(n);
    byte[] b = new byte[n * 3];
    int at = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x01 && c < 0x80) {
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xc0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      } else {
        b[at++] = (byte) (0xe0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[at++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    out.write(b, 0, at);
  }

  private static String text(DataInput in) throws IOException {
    int n = in.readInt();
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      int a = in.readUnsignedByte();
      if (a < 0x80) {
        chars[i] = (char) a;
      } else if (a < 0xe0) {
        chars[i] = (char) (((a & 0x1f) << 6) | (in.readUnsignedByte() & 0x3f));
      } else {
        int b = in.readUnsignedByte();
        chars[i] = (char) (((a & 0x0f) << 12) | ((b & 0x3f) << 6) | (in.readUnsignedByte() & 0x3f));
      }
    }
    return new String(chars);
  }

  private static void optional(DataOutput out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      text(out, s.get());
    }
  }

  private static Optional<String> optional(DataInput in) throws IOException {
    return in.readBoolean() ? Optional.of(text(in)) : Optional.empty();
  }
}
