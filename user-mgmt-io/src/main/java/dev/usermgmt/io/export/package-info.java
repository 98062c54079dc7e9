/**
 * Writing users back to files: {@link dev.usermgmt.io.export.UserExporter} streams a filtered view
 * to XLSX (default), CSV or JSON page by page; {@link dev.usermgmt.io.export.TableWriter} writes
 * any table; {@link dev.usermgmt.io.export.UpdateTemplate} writes the update file template; {@link
 * dev.usermgmt.io.export.FormulaGuard} neutralises spreadsheet formula injection in text cells.
 */
@NullMarked
package dev.usermgmt.io.export;

import org.jspecify.annotations.NullMarked;
