/**
 * user-mgmt: the domain logic of an HR / admin-console "Employees" page, embeddable in any host.
 *
 * <p>This root package holds the error model shared by every feature package: {@link
 * dev.usermgmt.UserMgmtException} and its category subclasses, {@link dev.usermgmt.ErrorCode} and
 * {@link dev.usermgmt.Problem}. The feature packages are:
 *
 * <ul>
 *   <li>{@code user} — users, identities, the lifecycle state machine;
 *   <li>{@code role} — role catalogs and domain-scoped admin roles;
 *   <li>{@code attribute} — custom attribute definitions and values;
 *   <li>{@code access} — actors, actions and the access policy;
 *   <li>{@code directory} — the facade for single-user work;
 *   <li>{@code spi} and {@code memory} — the store contracts and the in-memory store.
 * </ul>
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
