/**
 * Spring Boot auto-configuration of the library from the application's {@code DataSource}: {@link
 * dev.usermgmt.spring.UserMgmtAutoConfiguration}, configured by {@link
 * dev.usermgmt.spring.UserMgmtProperties} ({@code usermgmt.*}).
 */
@NullMarked
package dev.usermgmt.spring;

import org.jspecify.annotations.NullMarked;
