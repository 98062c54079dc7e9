/**
 * The query engine: the in-memory evaluator and the cursor codec. Public for the store modules; not
 * API.
 */
@NullMarked
package dev.usermgmt.query.internal;

import org.jspecify.annotations.NullMarked;
