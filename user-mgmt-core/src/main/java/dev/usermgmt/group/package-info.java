/** Groups of users: {@link dev.usermgmt.group.Group}. */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.group;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
