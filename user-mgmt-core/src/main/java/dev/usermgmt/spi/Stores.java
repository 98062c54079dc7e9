package dev.usermgmt.spi;

/**
 * The stores a directory works on, from one backend: the in-memory store, the JDBC store or a
 * host's own.
 *
 * @param users the user store
 * @param attributes the attribute definition store
 * @param groups the group store
 * @param changeLog the change log
 * @param transactions the transactions spanning all four
 */
public record Stores(
    UserStore users,
    AttributeDefinitionStore attributes,
    GroupStore groups,
    ChangeLog changeLog,
    Transactions transactions) {}
