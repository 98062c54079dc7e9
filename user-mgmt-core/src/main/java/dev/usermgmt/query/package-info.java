/**
 * Search, filter, sort and paginate users.
 *
 * <ul>
 *   <li>{@link dev.usermgmt.query.UserQuery}: what a users table shows, with its URL form;
 *   <li>{@link dev.usermgmt.query.FilterParser} and {@link dev.usermgmt.query.Filter}: the SCIM 2.0
 *       filter language (RFC 7644 §3.4.2.2) over {@link dev.usermgmt.query.QueryAttributes};
 *   <li>{@link dev.usermgmt.query.PreparedQuery} and {@link dev.usermgmt.query.Condition}: a query
 *       resolved for a store; {@link dev.usermgmt.query.internal.QueryEvaluator}: the reference
 *       semantics;
 *   <li>{@link dev.usermgmt.query.Keyset}, {@link dev.usermgmt.query.internal.CursorCodec} and
 *       {@link dev.usermgmt.query.Page}: keyset pagination with tamper-evident cursors.
 * </ul>
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.query;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
