package dev.usermgmt.io.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.SAXParserFactory;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.PaneInformation;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/** The XLSX the export writes, as POI's workbook and its streaming reader read it. */
class XlsxWriterTest {
  static final LocalDate HIRED = LocalDate.of(2024, 2, 29);
  static final Instant SEEN = Instant.parse("2026-01-02T03:04:05.678Z");
  static final String SPECIAL = "a<b & c>d \"q\" 'x' ]]> \u0001end";

  static byte[] sample() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TableWriter w = new XlsxWriter(out, "Users")) {
      w.header(List.of("date", "time", "flag", "int", "long", "decimal", "text", "=cmd", "none"));
      w.row(
          List.of(
              HIRED,
              SEEN,
              true,
              42,
              9_007_199_254_740_993L,
              new BigDecimal("-12.50"),
              SPECIAL,
              "=1+2",
              Optional.empty(),
              List.of("x", "y")));
      w.row(List.of("", Optional.of(HIRED), false));
    }
    return out.toByteArray();
  }

  @Test
  void poiReadsTypedCellsABoldFrozenHeaderAndEscapedText() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(sample()))) {
      assertThat(wb.getNumberOfSheets()).isEqualTo(1);
      XSSFSheet sheet = wb.getSheet("Users");
      PaneInformation pane = sheet.getPaneInformation();
      assertThat(pane.isFreezePane()).isTrue();
      assertThat(pane.getHorizontalSplitPosition()).isEqualTo((short) 1);
      assertThat(pane.getVerticalSplitPosition()).isZero();

      XSSFRow header = sheet.getRow(0);
      assertThat(header.getCell(0).getStringCellValue()).isEqualTo("date");
      assertThat(header.getCell(7).getStringCellValue()).isEqualTo("'=cmd");
      for (int i = 0; i < 9; i++) {
        assertThat(wb.getFontAt(header.getCell(i).getCellStyle().getFontIndex()).getBold())
            .isTrue();
      }

      XSSFRow row = sheet.getRow(1);
      XSSFCell date = row.getCell(0);
      assertThat(date.getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(DateUtil.isCellDateFormatted(date)).isTrue();
      assertThat(date.getCellStyle().getDataFormatString()).isEqualTo("yyyy-mm-dd");
      assertThat(date.getLocalDateTimeCellValue()).isEqualTo(HIRED.atStartOfDay());
      XSSFCell time = row.getCell(1);
      assertThat(time.getCellStyle().getDataFormatString()).isEqualTo("yyyy-mm-dd hh:mm:ss");
      assertThat(time.getNumericCellValue())
          .isEqualTo(DateUtil.getExcelDate(LocalDateTime.ofInstant(SEEN, ZoneOffset.UTC), false));
      assertThat(row.getCell(2).getCellType()).isEqualTo(CellType.BOOLEAN);
      assertThat(row.getCell(2).getBooleanCellValue()).isTrue();
      assertThat(row.getCell(3).getNumericCellValue()).isEqualTo(42.0);
      assertThat(row.getCell(4).getNumericCellValue()).isEqualTo(9_007_199_254_740_993L * 1.0);
      assertThat(row.getCell(5).getNumericCellValue()).isEqualTo(-12.5);
      assertThat(wb.getFontAt(row.getCell(6).getCellStyle().getFontIndex()).getBold()).isFalse();
      assertThat(row.getCell(6).getStringCellValue())
          .as("escaped; a control character XML cannot hold becomes ?, as POI wrote it")
          .isEqualTo("a<b & c>d \"q\" 'x' ]]> ?end");
      assertThat(row.getCell(7).getStringCellValue()).isEqualTo("'=1+2");
      assertThat(row.getCell(8)).as("an empty value is no cell").isNull();
      assertThat(row.getCell(9).getStringCellValue()).isEqualTo("x, y");

      XSSFRow second = sheet.getRow(2);
      assertThat(second.getCell(0)).isNull();
      assertThat(second.getCell(1).getLocalDateTimeCellValue()).isEqualTo(HIRED.atStartOfDay());
      assertThat(second.getCell(2).getBooleanCellValue()).isFalse();
    }
  }

  @Test
  void poisStreamingReaderReadsItToo() throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(sample()))) {
      XSSFReader reader = new XSSFReader(pkg);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      try (InputStream sheet = sheets.next()) {
        assertThat(sheets.getSheetName()).isEqualTo("Users");
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        XMLReader xml = factory.newSAXParser().getXMLReader();
        xml.setContentHandler(
            new XSSFSheetXMLHandler(
                reader.getStylesTable(),
                null,
                new XSSFSheetXMLHandler.SheetContentsHandler() {
                  @Override
                  public void startRow(int rowNum) {
                    rows.add(new ArrayList<>());
                  }

                  @Override
                  public void endRow(int rowNum) {}

                  @Override
                  public void cell(String ref, String value, XSSFComment comment) {
                    rows.get(rows.size() - 1).add(ref + "=" + value);
                  }
                },
                new DataFormatter(java.util.Locale.ROOT),
                false));
        xml.parse(new InputSource(sheet));
      }
    }
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).startsWith("A1=date", "B1=time").contains("H1='=cmd");
    assertThat(rows.get(1))
        .containsExactly(
            "A2=2024-02-29",
            "B2=2026-01-02 03:04:05",
            "C2=TRUE",
            "D2=42",
            "E2=9.0072E+15",
            "F2=-12.5",
            "G2=a<b & c>d \"q\" 'x' ]]> ?end",
            "H2='=1+2",
            "J2=x, y");
    assertThat(rows.get(2)).containsExactly("B3=2024-02-29", "C3=FALSE");
  }

  @Test
  void serialNumbersAreExcelsAsPoiComputesThem() {
    LocalDateTime t = LocalDateTime.of(1899, 12, 31, 0, 0);
    while (t.getYear() < 1902) {
      assertThat(Double.parseDouble(XlsxWriter.serial(t)))
          .as(t.toString())
          .isEqualTo(DateUtil.getExcelDate(t, false));
      t = t.plusHours(7).plusMinutes(13).plusSeconds(17).plusNanos(123_456_789);
    }
    assertThat(XlsxWriter.serial(LocalDateTime.of(2026, 1, 1, 0, 0))).isEqualTo("46023");
  }

  @Test
  void aCellLongerThanExcelHoldsIsALimitWithItsRow() {
    try (TableWriter w = new XlsxWriter(new ByteArrayOutputStream(), "Users")) {
      w.header(List.of("a"));
      w.row(List.of("ok"));
      assertThatThrownBy(() -> w.row(List.of("x".repeat(32_768))))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(
              e -> {
                InvalidInputException x = (InvalidInputException) e;
                assertThat(x.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                assertThat(x.problems().get(0).row()).hasValue(3);
              });
    }
  }
}
