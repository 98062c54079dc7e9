package dev.usermgmt.io.table;

/** The file formats the readers accept, recognised from the bytes, never from the file name. */
public enum FileFormat {
  /** Delimited text: comma, semicolon, tab or pipe; UTF-8, UTF-16 or Windows-1252. */
  CSV,
  /** Office Open XML workbook (Excel 2007 and later, LibreOffice "Excel 2007-365"). */
  XLSX,
  /** Legacy Excel 97-2003 workbook, read whole and therefore capped in rows and bytes. */
  XLS
}
