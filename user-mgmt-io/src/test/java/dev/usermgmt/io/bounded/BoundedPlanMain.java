package dev.usermgmt.io.bounded;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.json.UserMgmtJacksonModule;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * An update dry run of a big CSV file in a small heap, run in its own JVM by {@link
 * BoundedPlanTest} (and by hand: {@code java -Xmx256m … BoundedPlanMain 1000000}): writes the file,
 * plans it from the stream, pages through its previews, writes its JSON to nowhere, applies it (the
 * seal is checked over every preview), and prints {@code OK} with the numbers.
 */
public final class BoundedPlanMain {
  private static final int USERS = 2_000;

  private BoundedPlanMain() {}

  /**
   * Runs the dry run.
   *
   * @param args the number of rows
   * @throws IOException when the temporary file cannot be written
   */
  public static void main(String[] args) throws IOException {
    int rows = Integer.parseInt(args[0]);
    long start = System.nanoTime();
    TenantId tenant = TenantId.of("acme");
    Stores stores = InMemoryStores.create();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(Fixtures.user(tenant, "u" + i));
    }
    stores.users().insert(tenant, users);
    UserDirectory directory = UserDirectory.builder().stores(stores).build();
    Actor admin =
        Actor.builder()
            .tenant(tenant)
            .userId(UserId.of("admin"))
            .role(RoleCatalog.defaultCatalog().adminRole())
            .build();
    Path file = Files.createTempFile("bounded-plan", ".csv");
    try {
      write(file, rows);
      long written = System.nanoTime();
      UpdatePlan plan;
      try (InputStream in = Files.newInputStream(file);
          TableReader reader = TableReader.open(in, ReadOptions.defaults());
          UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, admin));
          Stream<UpdateRow> mapped =
              upload.rows(upload.suggested()).map(UpdateUpload.MappedRow::row)) {
        plan =
            BulkEngine.of(directory)
                .planUpdate(admin, mapped, UpdateOptions.defaults(), BulkListener.NONE);
      }
      long planned = System.nanoTime();
      UpdatePlan.Summary s = plan.summary();
      check(s.rows() == rows, "rows " + s.rows());
      check(
          s.count(RowPreview.Kind.CHANGED) + s.count(RowPreview.Kind.ERROR) == USERS,
          "changed " + s);
      check(s.count(RowPreview.Kind.NOT_FOUND) > rows / 2, "not found " + s);
      check(s.problems() > 0, "problems " + s);
      List<RowPreview> last = plan.previews(rows - 3, 10);
      check(last.size() == 3 && last.get(2).row() == rows + 1, "last page " + last);
      List<RowPreview> middle = plan.previews(rows / 2, 100);
      check(middle.size() == 100 && middle.get(0).row() == rows / 2 + 2, "middle page");
      ObjectMapper json = new ObjectMapper().registerModule(UserMgmtJacksonModule.create());
      try (JsonGenerator g = json.createGenerator(OutputStream.nullOutputStream())) {
        json.writeValue(g, plan);
      }
      ApplyResult applied = BulkEngine.of(directory).applyUpdate(admin, plan, BulkListener.NONE);
      check(
          applied.changed().size() == s.count(RowPreview.Kind.CHANGED),
          "applied " + applied.changed().size());
      Runtime rt = Runtime.getRuntime();
      System.out.printf(
          Locale.ROOT,
          "OK rows=%d write=%dms plan=%dms total=%dms heapMax=%dMiB summary=%s%n",
          rows,
          (written - start) / 1_000_000,
          (planned - written) / 1_000_000,
          (System.nanoTime() - start) / 1_000_000,
          rt.maxMemory() >> 20,
          s);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Every 500th row is an existing user; every 7th a bad date; every 1000th repeats a key. */
  private static void write(Path file, int rows) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("email,department,jobTitle,hireDate,phoneNumber\n");
      for (int i = 0; i < rows; i++) {
        String who =
            i % 500 == 0 && i / 500 < USERS
                ? "u" + (i / 500)
                : i % 1000 == 999 ? "person" + (i - 1) : "person" + i;
        w.write(who);
        w.write("@example.com,Dept ");
        w.write(Integer.toString(i % 40));
        w.write(",Role ");
        w.write(Integer.toString(i % 17));
        w.write(i % 7 == 0 ? ",31/02/2020," : ",12/10/2019,");
        w.write(i % 11 == 0 ? "+44 20 7946 0018" : "");
        w.write('\n');
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
