package dev.usermgmt.query;

import dev.usermgmt.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Where a page ended: the sort values of its last user and that user's id. The next page holds the
 * users strictly after this position in the query's order.
 *
 * @param values the typed sort values of the last user, one per sort key (empty: no value)
 * @param id the last user's id
 */
public record Keyset(List<Optional<Object>> values, UserId id) {}
