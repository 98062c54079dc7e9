package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.StoreException;
import dev.usermgmt.UserId;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A spill file changed on disk must read as a StoreException. PreviewCodec.Input.count() refuses a
 * negative count but not one larger than the bytes left: a diff count of 2^31-1 goes straight to
 * new ArrayList<>(n) (OutOfMemoryError); a user id byte changed reaches UserId.of
 * (InvalidInputException INVALID_ID, as if the caller had sent a bad id).
 */
final class PreviewStoreCorruptFileTest {

  private static PreviewStore spilled(RowPreview r) {
    PreviewStore.Writer w = new PreviewStore.Writer(0);
    w.add(r);
    return (PreviewStore) w.finish();
  }

  private static Path fileOf(PreviewStore s) throws ReflectiveOperationException {
    Field f = PreviewStore.class.getDeclaredField("file");
    f.setAccessible(true);
    return (Path) f.get(s);
  }

  @Test
  void aHugeDiffCountIsAStoreException() throws Exception {
    // row(8) kind(1) key "k"(4+1) user? false(1) | diffs count at byte 15
    RowPreview r =
        new RowPreview(7, RowPreview.Kind.UNCHANGED, "k", Optional.empty(), List.of(), List.of());
    PreviewStore store = spilled(r);
    try (RandomAccessFile f = new RandomAccessFile(fileOf(store).toFile(), "rw")) {
      f.seek(15);
      f.writeInt(Integer.MAX_VALUE);
    }
    assertThatThrownBy(() -> store.page(0, 1)).isInstanceOf(StoreException.class);
  }

  @Test
  void aChangedUserIdByteIsAStoreException() throws Exception {
    // row(8) kind(1) key "k"(4+1) user? true(1) | id length(4) at 15, id's first char at 19
    RowPreview r =
        new RowPreview(
            7,
            RowPreview.Kind.UNCHANGED,
            "k",
            Optional.of(
                new PlannedUser(
                    UserId.of("u1"), 1, Optional.empty(), Optional.empty(), Optional.empty(), "U")),
            List.of(),
            List.of());
    PreviewStore store = spilled(r);
    try (RandomAccessFile f = new RandomAccessFile(fileOf(store).toFile(), "rw")) {
      f.seek(19);
      f.writeByte(' ');
    }
    assertThatThrownBy(() -> store.page(0, 1)).isInstanceOf(StoreException.class);
  }
}
