package dev.usermgmt.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the project: generated {@code ImmutableX} classes are
 * package-private, {@code build()} returns the abstract type, and the hand-written type exposes a
 * public nested {@code Builder} extending the generated one. Not API.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    builderVisibility = Value.Style.BuilderVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true),
    jdkOnly = false,
    allowedClasspathAnnotations = {Override.class},
    optionalAcceptNullable = false,
    get = {"*"},
    allParameters = false,
    throwForInvalidImmutableState = InvalidValueStateException.class,
    throwForNullPointer = NullPointerException.class)
public @interface UserMgmtStyle {}
