/**
 * What a tenant configures: internal e-mail domains, modules, the seat licence, the phone region,
 * the initial status of users by how they are created.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.tenant;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
