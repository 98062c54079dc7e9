/**
 * Bulk work as plan → preview → apply → undo: {@link dev.usermgmt.bulk.BulkEngine} with its plans
 * ({@link dev.usermgmt.bulk.DeactivationPlan}, {@link dev.usermgmt.bulk.DeletionPlan}, {@link
 * dev.usermgmt.bulk.SelectionPlan}) and results.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.bulk;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
