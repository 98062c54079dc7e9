/**
 * The audit log: {@link dev.usermgmt.audit.ChangeSet} (one mutation), {@link
 * dev.usermgmt.audit.UserChange} (its effect on one user) and {@link dev.usermgmt.audit.FieldDiff}
 * (one field before → after). Undo reads change sets back; see {@code UserDirectory.undo}.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.audit;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
