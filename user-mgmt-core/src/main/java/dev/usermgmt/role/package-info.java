/**
 * Roles: {@link dev.usermgmt.role.Role} (a key, a label and an ordering level), {@link
 * dev.usermgmt.role.RoleCatalog} (the roles of a host, with the reference's numeric table as the
 * default) and {@link dev.usermgmt.role.DomainRole} (admin rights scoped to one domain such as
 * People).
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.role;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
