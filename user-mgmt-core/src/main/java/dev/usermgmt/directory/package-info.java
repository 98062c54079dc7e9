/**
 * The facade for single-user work: {@link dev.usermgmt.directory.UserDirectory}, with its
 * per-tenant {@link dev.usermgmt.tenant.TenantSettings}.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.directory;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
