import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * What a host gets with nothing on its class path but the published modules and what they bring
 * (the consumer project's run-time class path): run by .ci/consumer-check with the JDK's
 * single-file launcher. Exits non-zero on the first surprise.
 */
public final class ConsumerSmoke {
  public static void main(String[] args) throws Exception {
    // POI (inside io) works with slf4j-api and log4j-api only: no binding, no bridge
    byte[] xlsx;
    try (XSSFWorkbook workbook = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      var sheet = workbook.createSheet("users");
      sheet.createRow(0).createCell(0).setCellValue("email");
      sheet.createRow(1).createCell(0).setCellValue("ada@example.com");
      workbook.write(out);
      xlsx = out.toByteArray();
    }
    List<String> cells;
    try (TableReader reader =
        TableReader.open(new ByteArrayInputStream(xlsx), ReadOptions.defaults())) {
      cells = reader.rows().map(row -> row.text(0)).toList();
    }
    check(cells.equals(List.of("email", "ada@example.com")), "XLSX read back as " + cells);

    // Flyway is optional: without it, UserMgmtSchema says what to add (before touching the database)
    DataSource none =
        (DataSource)
            Proxy.newProxyInstance(
                ConsumerSmoke.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, arguments) -> {
                  throw new SQLException("this check has no database");
                });
    try {
      UserMgmtSchema.migrate(none);
      check(false, "UserMgmtSchema.migrate ran without Flyway");
    } catch (InvalidInputException e) {
      check(
          e.code() == ErrorCode.INVALID_CONFIGURATION
              && e.getMessage().contains("org.flywaydb:flyway-core"),
          "without Flyway: " + e.code() + " " + e.getMessage());
    }

    // the plain DDL scripts ship in the jar
    for (Dialect d : Dialect.values()) {
      try (InputStream in = ConsumerSmoke.class.getClassLoader().getResourceAsStream(d.ddlScript())) {
        check(in != null, "no " + d.ddlScript() + " in the jar");
        String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        check(sql.contains("CREATE TABLE um_users"), d.ddlScript() + " creates no um_users");
      }
    }
    System.out.println(
        "[consumer-check] smoke: an XLSX read through POI with no logging bridge; UserMgmtSchema"
            + " without Flyway names flyway-core; the DDL scripts are in the jar");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("[consumer-check] FAILED: " + what);
      System.exit(1);
    }
  }
}
