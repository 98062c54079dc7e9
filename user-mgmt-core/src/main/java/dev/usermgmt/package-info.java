/**
 * user-mgmt: the domain logic of an HR / admin-console "Employees" page, embeddable in any host.
 *
 * <p>This root package is the vocabulary every feature package builds on, and depends on none of
 * them: the error model ({@link dev.usermgmt.UserMgmtException} and its category subclasses, {@link
 * dev.usermgmt.ErrorCode}, {@link dev.usermgmt.Problem}), the identities ({@link
 * dev.usermgmt.TenantId}, {@link dev.usermgmt.UserId}), and the words of authority ({@link
 * dev.usermgmt.Action}, {@link dev.usermgmt.Decision}). The feature packages are:
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
package dev.usermgmt;

import org.jspecify.annotations.NullMarked;
