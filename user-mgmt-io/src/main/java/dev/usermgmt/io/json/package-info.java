/**
 * JSON for hosts' HTTP layers: {@link dev.usermgmt.io.json.UserMgmtJacksonModule} binds the
 * library's requests, plans and results to the reference API's exact JSON shapes, without
 * annotations in core.
 */
@NullMarked
package dev.usermgmt.io.json;

import org.jspecify.annotations.NullMarked;
