package dev.usermgmt.io.export;

/** The file formats an export writes. */
public enum ExportFormat {
  /** Excel workbook with typed cells (the reference's default). */
  XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
  /** Comma-separated values, UTF-8 with a byte-order mark so that Excel reads it as UTF-8. */
  CSV("csv", "text/csv; charset=UTF-8"),
  /** A JSON array of objects keyed by column. */
  JSON("json", "application/json");

  private final String extension;
  private final String contentType;

  ExportFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /**
   * The file name extension, without the dot.
   *
   * @return the extension
   */
  public String extension() {
    return extension;
  }

  /**
   * The media type to send the file with.
   *
   * @return the content type
   */
  public String contentType() {
    return contentType;
  }
}
