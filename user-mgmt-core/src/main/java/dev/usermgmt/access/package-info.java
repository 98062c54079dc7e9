/**
 * Who may do what: {@link dev.usermgmt.access.Actor} (who acts), {@link dev.usermgmt.Action} (every
 * gated action of the reference), {@link dev.usermgmt.Decision} (allow, or deny with a reason),
 * {@link dev.usermgmt.access.AccessPolicy} and its reference implementation {@link
 * dev.usermgmt.access.DefaultAccessPolicy}, and {@link dev.usermgmt.access.FeatureFlag}.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.access;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
