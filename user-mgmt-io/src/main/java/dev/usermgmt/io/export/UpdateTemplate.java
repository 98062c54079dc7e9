package dev.usermgmt.io.export;

import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.role.Role;
import dev.usermgmt.user.UserField;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.DataValidation;
import org.apache.poi.ss.usermodel.DataValidationConstraint;
import org.apache.poi.ss.usermodel.DataValidationHelper;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddressList;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The "Update Users from CSV" template: an XLSX whose header names every field an update file can
 * set (the reference's mappable columns first, then the other settable fields, then the tenant's
 * custom attributes as {@code attributes.<key>}), with drop-down lists for role, modules, Yes/No
 * fields and the custom attributes' booleans. The lists live on a hidden sheet, so they may be
 * longer than Excel's 255-character inline limit. Modules may hold several names separated by
 * commas, so their drop-down only warns.
 */
public final class UpdateTemplate {
  /** The reference's mappable columns, in its order. */
  static final List<UserField> REFERENCE =
      List.of(
          UserField.DISPLAY_NAME,
          UserField.PRIMARY_EMAIL,
          UserField.PHONE_NUMBER,
          UserField.ROLE,
          UserField.DEPARTMENT,
          UserField.LOCATION,
          UserField.JOB_TITLE,
          UserField.MODULES,
          UserField.EMPLOYEE_ID,
          UserField.MANAGER_ID,
          UserField.USER_TYPE,
          UserField.HIRE_DATE);

  private static final int ROWS = 10_000;

  private UpdateTemplate() {}

  /**
   * The template's header names.
   *
   * @param schema the tenant's custom attributes
   * @return the headers
   */
  public static List<String> headers(AttributeSchema schema) {
    List<String> out = new ArrayList<>();
    REFERENCE.forEach(f -> out.add(f.key()));
    for (UserField f : UserField.values()) {
      if (f.editability() == UserField.Editability.FORM
          && f.kind() != UserField.Kind.DOMAIN_ROLES
          && !REFERENCE.contains(f)) {
        out.add(f.key());
      }
    }
    schema.definitions().forEach(d -> out.add(AttributeSchema.fieldOf(d.key())));
    return out;
  }

  /**
   * Writes the template.
   *
   * @param context the tenant's schema, roles and modules
   * @param out where the file goes (not closed)
   */
  public static void write(MappingContext context, OutputStream out) {
    List<String> headers = headers(context.schema());
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      XSSFSheet sheet = wb.createSheet("Users");
      XSSFSheet lists = wb.createSheet("Lists");
      XSSFCellStyle bold = wb.createCellStyle();
      Font font = wb.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row header = sheet.createRow(0);
      for (int i = 0; i < headers.size(); i++) {
        header.createCell(i).setCellValue(headers.get(i));
        header.getCell(i).setCellStyle(bold);
        sheet.setColumnWidth(i, Math.max(12, headers.get(i).length() + 4) * 256);
      }
      sheet.createFreezePane(0, 1);
      Map<String, List<String>> choices =
          Map.of(
              "Roles", context.roles().roles().stream().map(Role::label).toList(),
              "Modules", context.modules().stream().sorted().toList(),
              "YesNo", List.of("Yes", "No"));
      int col = 0;
      for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(choices).entrySet()) {
        for (int r = 0; r < e.getValue().size(); r++) {
          Row row = lists.getRow(r) == null ? lists.createRow(r) : lists.getRow(r);
          row.createCell(col).setCellValue(e.getValue().get(r));
        }
        Name name = wb.createName();
        name.setNameName(e.getKey());
        String letter = org.apache.poi.ss.util.CellReference.convertNumToColString(col);
        name.setRefersToFormula(
            "Lists!$" + letter + "$1:$" + letter + "$" + Math.max(1, e.getValue().size()));
        col++;
      }
      wb.setSheetHidden(wb.getSheetIndex(lists), true);
      DataValidationHelper helper = sheet.getDataValidationHelper();
      for (int i = 0; i < headers.size(); i++) {
        String h = headers.get(i);
        String list = listFor(h, context.schema());
        if (list.isEmpty()) {
          continue;
        }
        DataValidationConstraint c = helper.createFormulaListConstraint(list);
        DataValidation v = helper.createValidation(c, new CellRangeAddressList(1, ROWS, i, i));
        v.setShowErrorBox(true);
        v.setErrorStyle(
            h.equals(UserField.MODULES.key())
                ? DataValidation.ErrorStyle.WARNING
                : DataValidation.ErrorStyle.STOP);
        v.setSuppressDropDownArrow(true);
        sheet.addValidationData(v);
      }
      wb.write(out);
      out.flush();
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the template", e);
    }
  }

  private static String listFor(String header, AttributeSchema schema) {
    if (header.equals(UserField.ROLE.key())) {
      return "Roles";
    }
    if (header.equals(UserField.MODULES.key())) {
      return "Modules";
    }
    if (header.equals(UserField.TAKING_A_BREAK.key())) {
      return "YesNo";
    }
    if (header.startsWith("attributes.")) {
      return schema
          .definition(header.substring("attributes.".length()))
          .map(AttributeDefinition::type)
          .filter(t -> t == AttributeType.BOOLEAN)
          .map(t -> "YesNo")
          .orElse("");
    }
    return "";
  }
}
