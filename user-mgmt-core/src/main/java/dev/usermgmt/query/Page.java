package dev.usermgmt.query;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a query's results.
 *
 * @param items the items, in the query's order
 * @param nextCursor the cursor of the next page; empty on the last page
 * @param total how many match in all, when the query asked for it
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> nextCursor, OptionalLong total) {}
