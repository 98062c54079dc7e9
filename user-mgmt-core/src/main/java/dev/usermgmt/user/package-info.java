/**
 * Users and their identities: {@link dev.usermgmt.user.User} (the record), {@link
 * dev.usermgmt.user.UserField} (its standard fields by name), the identity values {@link
 * dev.usermgmt.TenantId}, {@link dev.usermgmt.UserId}, {@link dev.usermgmt.user.EmailAddress} and
 * {@link dev.usermgmt.user.PhoneNumber}, the lifecycle ({@link dev.usermgmt.user.UserStatus},
 * {@link dev.usermgmt.user.Transition}, {@link dev.usermgmt.user.UserLifecycle}), and the inputs of
 * creation and editing ({@link dev.usermgmt.user.UserDraft}, {@link dev.usermgmt.user.UserPatch}).
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.user;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
