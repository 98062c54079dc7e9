/** A Spring Boot application that uses the starter. */
@NullMarked
package dev.usermgmt.examples.boot;

import org.jspecify.annotations.NullMarked;
