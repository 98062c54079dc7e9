/**
 * Reading the files admins upload: one {@link dev.usermgmt.io.table.TableReader} for CSV (any
 * common encoding and delimiter), XLSX (streamed) and legacy XLS, yielding rows lazily under
 * configurable limits ({@link dev.usermgmt.io.table.ReadOptions}). Every failure is a {@link
 * dev.usermgmt.InvalidInputException} naming the row and column it concerns.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.io.table;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
