package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what the host says a file is (its name, its media type) with the format its bytes show;
 * a file named or typed as one format holding another is refused with {@code file_type_mismatch}.
 */
final class DeclaredType {
  private static final Set<FileFormat> CSV = EnumSet.of(FileFormat.CSV);
  private static final Set<FileFormat> XLSX = EnumSet.of(FileFormat.XLSX);
  private static final Set<FileFormat> XLS = EnumSet.of(FileFormat.XLS);

  private DeclaredType() {}

  static void check(FileFormat found, ReadOptions options) {
    if (options.declaredName().isPresent()) {
      String name = options.declaredName().get();
      Optional<Set<FileFormat>> named = byName(name);
      if (named.isPresent() && !named.get().contains(found)) {
        throw mismatch("named '" + name + "'", named.get(), found);
      }
    }
    if (options.declaredMediaType().isPresent()) {
      String type = options.declaredMediaType().get();
      Optional<Set<FileFormat>> typed = byMediaType(type);
      if (typed.isPresent() && !typed.get().contains(found)) {
        throw mismatch("sent as '" + type + "'", typed.get(), found);
      }
    }
  }

  static Optional<Set<FileFormat>> byName(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    return switch (n.substring(dot + 1)) {
      case "csv", "txt", "tsv", "tab" -> Optional.of(CSV);
      case "xlsx", "xlsm" -> Optional.of(XLSX);
      case "xls" -> Optional.of(XLS);
      default -> Optional.empty();
    };
  }

  static Optional<Set<FileFormat>> byMediaType(String mediaType) {
    String t = mediaType.strip().toLowerCase(Locale.ROOT);
    int semi = t.indexOf(';');
    if (semi >= 0) {
      t = t.substring(0, semi).strip();
    }
    return switch (t) {
      case "text/csv",
          "text/plain",
          "text/tab-separated-values",
          "application/csv",
          "text/comma-separated-values" ->
          Optional.of(CSV);
      case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.ms-excel.sheet.macroenabled.12" ->
          Optional.of(XLSX);
      case "application/vnd.ms-excel" -> Optional.of(EnumSet.of(FileFormat.XLS, FileFormat.CSV));
      default -> Optional.empty();
    };
  }

  private static InvalidInputException mismatch(
      String declared, Set<FileFormat> expected, FileFormat found) {
    return new InvalidInputException(
        Problem.of(
            ErrorCode.FILE_TYPE_MISMATCH,
            "the file is "
                + declared
                + " ("
                + describe(expected)
                + ") but its content is "
                + describe(EnumSet.of(found))
                + "; save it again in the format its name says, or rename it"));
  }

  private static String describe(Set<FileFormat> formats) {
    StringBuilder sb = new StringBuilder();
    for (FileFormat f : formats) {
      if (sb.length() > 0) {
        sb.append(" or ");
      }
      sb.append(
          switch (f) {
            case CSV -> "CSV text";
            case XLSX -> "an XLSX workbook";
            case XLS -> "an Excel 97-2003 (.xls) workbook";
          });
    }
    return sb.toString();
  }
}
