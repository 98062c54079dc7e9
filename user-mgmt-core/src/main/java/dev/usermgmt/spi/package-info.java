/**
 * What a store implements and what a host plugs in.
 *
 * <p>Stores, split by capability so that a read-only source can plug in without faking writes:
 * {@link dev.usermgmt.spi.UserLookup}, {@link dev.usermgmt.spi.UserWriter} (together {@link
 * dev.usermgmt.spi.UserStore}), {@link dev.usermgmt.spi.AttributeDefinitionStore}, {@link
 * dev.usermgmt.spi.GroupStore}, {@link dev.usermgmt.spi.ChangeLog} and {@link
 * dev.usermgmt.spi.Transactions}, bundled as {@link dev.usermgmt.spi.Stores}. The tenant is the
 * first parameter of every store method. The testkit's contract interfaces say exactly what a store
 * must do.
 *
 * <p>Host hooks: {@link dev.usermgmt.spi.InvitationSender}, {@link
 * dev.usermgmt.spi.OwnershipTransfer}, {@link dev.usermgmt.spi.UserResetter}, {@link
 * dev.usermgmt.access.FeatureFlags}; time comes from a {@link java.time.Clock}.
 */
@NullMarked
package dev.usermgmt.spi;

import org.jspecify.annotations.NullMarked;
