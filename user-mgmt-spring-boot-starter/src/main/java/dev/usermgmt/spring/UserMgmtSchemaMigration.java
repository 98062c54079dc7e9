package dev.usermgmt.spring;

/**
 * The library's schema migration at start-up, as a bean the stores depend on.
 *
 * @param applied how many migrations ran (0 when the schema was up to date)
 */
public record UserMgmtSchemaMigration(int applied) {}
