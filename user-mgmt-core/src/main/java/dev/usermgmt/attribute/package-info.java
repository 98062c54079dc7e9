/**
 * Custom user attributes: {@link dev.usermgmt.attribute.AttributeDefinition} (what a tenant
 * defines), {@link dev.usermgmt.attribute.AttributeValue} (a typed value on a user) and {@link
 * dev.usermgmt.attribute.AttributeSchema} (checks values against the definitions).
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.attribute;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
