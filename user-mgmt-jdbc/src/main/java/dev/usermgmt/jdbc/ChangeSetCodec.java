package dev.usermgmt.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.base.Splitter;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * The text of a change set in the {@code doc} column: header lines, then {@code c|user|KIND|vb|va}
 * per user change, each followed by its {@code d|field|before|after|type|redacted} diffs, and
 * {@code a|key|before|after} per attribute definition change. Fields are escaped; an absent value
 * is {@code \0}.
 *
 * <p>A change set is stored as that text in {@code doc} while it is short (one person's edit, which
 * stays readable in SQL), and deflated in {@code doc_deflated} above {@link #DEFLATE_ABOVE}
 * characters (a chunk of a bulk apply: about 85 characters a user, which deflate to about a
 * twentieth). A bulk apply writes a chunk's change set in the chunk's own transaction, so its size
 * is part of every chunk's write: as text it is about an eighth of the bytes of the users it
 * changes.
 */
final class ChangeSetCodec {
  /** Longer texts are stored deflated. */
  static final int DEFLATE_ABOVE = 2048;

  private ChangeSetCodec() {}

  /** Whether a change set's text is stored deflated rather than as text. */
  static boolean storedDeflated(String text) {
    return text.length() > DEFLATE_ABOVE;
  }

  /**
   * Loads a change set from exactly one of its stored forms: its text, or its deflated text (the
   * zlib format of RFC 1950, with its Adler-32 check, over the text's UTF-8 bytes).
   */
  static ChangeSet load(
      TenantId tenant, long sequence, @Nullable String text, byte @Nullable [] deflated) {
    String doc;
    if (deflated != null) {
      doc = inflate(tenant, sequence, deflated);
    } else if (text != null) {
      doc = text;
    } else {
      throw corrupt(tenant, sequence, null);
    }
    try {
      return decode(tenant, sequence, doc);
    } catch (RuntimeException e) {
      // a record cut short or unknown, a value of the wrong form: the text is not one the store
      // wrote
      throw corrupt(tenant, sequence, e);
    }
  }

  static byte[] deflate(String text) {
    byte[] bytes = text.getBytes(UTF_8);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 6 + 64);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static String inflate(TenantId tenant, long sequence, byte[] deflated) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 8);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw corrupt(tenant, sequence, null);
        }
        out.write(buffer, 0, n);
      }
      return out.toString(UTF_8);
    } catch (DataFormatException e) {
      throw corrupt(tenant, sequence, e);
    } finally {
      inflater.end();
    }
  }

  private static StoreException corrupt(TenantId tenant, long sequence, @Nullable Exception cause) {
    return new StoreException(
        List.of(
            Problem.of(
                ErrorCode.STORE_FAILURE,
                "change set "
                    + sequence
                    + " of tenant "
                    + tenant
                    + " is unreadable in the database")),
        cause);
  }

  /**
   * The change set's text, written into one builder sized for it (a bulk chunk's is about a hundred
   * characters a user), each value escaped as it is appended.
   */
  static String encode(ChangeSet cs) {
    Text t = new Text(256 + cs.changes().size() * 128);
    t.rec("id").val(cs.id());
    t.rec("actor").val(cs.actor().map(UserId::value));
    t.rec("who").val(cs.actorDescription());
    t.rec("at").val(cs.at().toString());
    t.rec("corr").val(cs.correlationId());
    t.rec("op").val(cs.operation());
    t.rec("detail").val(cs.detail());
    for (UserChange c : cs.changes()) {
      t.rec("c")
          .val(c.userId().value())
          .raw(c.kind().name())
          .number(c.versionBefore())
          .number(c.versionAfter());
      for (FieldDiff d : c.diffs()) {
        t.rec("d")
            .val(d.field())
            .val(d.before())
            .val(d.after())
            .val(d.attributeType().map(Enum::name))
            .raw(bit(d.redacted()))
            .raw(bit(d.sensitive()))
            .raw(bit(d.hiddenFromManagers()));
      }
    }
    for (ChangeSet.DefinitionChange d : cs.definitionChanges()) {
      t.rec("a")
          .val(d.key())
          .val(d.before().map(ChangeSetCodec::def))
          .val(d.after().map(ChangeSetCodec::def));
    }
    return t.end();
  }

  /** The text of a change set as it is written: records of {@code tag|value|value…} a line. */
  private static final class Text {
    private final StringBuilder b;

    Text(int capacity) {
      b = new StringBuilder(capacity);
    }

    /** Begins a record: the record before it ends its line, then the tag. */
    Text rec(String tag) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(tag);
      return this;
    }

    Text val(String s) {
      b.append('|');
      Escapes.escapeTo(b, s);
      return this;
    }

    Text val(Optional<String> s) {
      return s.isPresent() ? val(s.get()) : raw(Escapes.ABSENT);
    }

    /** A value that never needs escaping: a constant's name, a bit. */
    Text raw(String s) {
      b.append('|').append(s);
      return this;
    }

    Text number(Optional<Long> n) {
      if (n.isPresent()) {
        b.append('|').append(n.get().longValue());
        return this;
      }
      return raw(Escapes.ABSENT);
    }

    /** The text, its last line ended. */
    String end() {
      return b.append('\n').toString();
    }
  }

  private static String def(AttributeDefinition d) {
    return String.join(
        ",",
        d.key(),
        d.type().name(),
        bit(d.visibleToManagers()),
        bit(d.editableByManagers()),
        bit(d.required()),
        bit(d.personal()),
        bit(d.sensitive()),
        d.label());
  }

  private static AttributeDefinition undef(String s) {
    List<String> p = Splitter.on(',').limit(8).splitToList(s);
    return AttributeDefinition.builder()
        .key(p.get(0))
        .type(AttributeType.valueOf(p.get(1)))
        .visibleToManagers(p.get(2).equals("1"))
        .editableByManagers(p.get(3).equals("1"))
        .required(p.get(4).equals("1"))
        .personal(p.get(5).equals("1"))
        .sensitive(p.get(6).equals("1"))
        .label(p.get(7))
        .build();
  }

  private static String bit(boolean b) {
    return b ? "1" : "0";
  }

  /**
   * Reads the text back, one line at a time, each line's fields found by their separators in the
   * text itself: a change set of a bulk chunk is thousands of lines, for each of which splitting
   * into a list of substrings first cost more than building its values did.
   */
  private static ChangeSet decode(TenantId tenant, long sequence, String doc) {
    ChangeSet.Builder b = ChangeSet.builder().tenant(tenant).sequence(sequence);
    List<UserChange> changes = new ArrayList<>();
    UserChange.Builder current = null;
    Fields f = new Fields(doc);
    int start = 0;
    while (start < doc.length()) {
      int end = doc.indexOf('\n', start);
      if (end < 0) {
        end = doc.length();
      }
      if (end == start) {
        start = end + 1;
        continue;
      }
      f.split(start, end);
      switch (f.text(0)) {
        case "id" -> b.id(f.val(1).orElseThrow());
        case "actor" -> b.actor(f.val(1).map(UserId::of));
        case "who" -> b.actorDescription(f.val(1).orElseThrow());
        case "at" -> b.at(Instant.parse(f.val(1).orElseThrow()));
        case "corr" -> b.correlationId(f.val(1).orElseThrow());
        case "op" -> b.operation(f.val(1).orElseThrow());
        case "detail" -> b.detail(f.val(1));
        case "c" -> {
          if (current != null) {
            changes.add(current.build());
          }
          current =
              UserChange.builder()
                  .userId(UserId.of(f.val(1).orElseThrow()))
                  .kind(UserChange.Kind.valueOf(f.text(2)))
                  .versionBefore(f.val(3).map(Long::valueOf))
                  .versionAfter(f.val(4).map(Long::valueOf));
        }
        case "d" ->
            java.util.Objects.requireNonNull(current)
                .addDiffs(
                    FieldDiff.builder()
                        .field(f.val(1).orElseThrow())
                        .before(f.val(2))
                        .after(f.val(3))
                        .attributeType(f.val(4).map(AttributeType::valueOf))
                        .redacted(f.bit(5))
                        // written since attribute values are marked with their guards
                        .sensitive(f.size() > 6 && f.bit(6))
                        .hiddenFromManagers(f.size() > 7 && f.bit(7))
                        .build());
        case "a" ->
            b.addDefinitionChanges(
                new ChangeSet.DefinitionChange(
                    f.val(1).orElseThrow(),
                    f.val(2).map(ChangeSetCodec::undef),
                    f.val(3).map(ChangeSetCodec::undef)));
        default -> throw new IllegalStateException("unknown record in change set: " + f.text(0));
      }
      start = end + 1;
    }
    if (current != null) {
      changes.add(current.build());
    }
    return b.changes(changes).build();
  }

  /**
   * The fields of one line of the text, {@code tag|value|value…}, as bounds in the text: a value
   * becomes a string only when it is read, and the line itself never does.
   */
  private static final class Fields {
    private final String doc;
    private int[] from = new int[8];
    private int[] to = new int[8];
    private int size;

    Fields(String doc) {
      this.doc = doc;
    }

    /** Finds the fields of {@code doc[start, end)}. */
    void split(int start, int end) {
      size = 0;
      int at = start;
      while (true) {
        int bar = doc.indexOf('|', at);
        if (bar < 0 || bar > end) {
          bar = end;
        }
        if (size == from.length) {
          from = java.util.Arrays.copyOf(from, size * 2);
          to = java.util.Arrays.copyOf(to, size * 2);
        }
        from[size] = at;
        to[size] = bar;
        size++;
        if (bar == end) {
          return;
        }
        at = bar + 1;
      }
    }

    int size() {
      return size;
    }

    /** Field {@code i} as written (a tag, a constant's name). */
    String text(int i) {
      return doc.substring(from(i), to[i]);
    }

    /** Field {@code i} unescaped, empty when it is the absent marker. */
    Optional<String> val(int i) {
      int f = from(i);
      if (to[i] - f == Escapes.ABSENT.length() && doc.startsWith(Escapes.ABSENT, f)) {
        return Optional.empty();
      }
      return Optional.of(Escapes.unescape(doc.substring(f, to[i])));
    }

    /** Whether field {@code i} is the bit {@code 1}. */
    boolean bit(int i) {
      int f = from(i);
      return to[i] - f == 1 && doc.charAt(f) == '1';
    }

    private int from(int i) {
      if (i >= size) {
        throw new IllegalStateException(
            "a record of " + size + " fields in change set, where field " + i + " was expected");
      }
      return from[i];
    }
  }
}
