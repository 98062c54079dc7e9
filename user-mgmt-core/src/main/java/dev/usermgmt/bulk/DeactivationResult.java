package dev.usermgmt.bulk;

import java.util.List;

/**
 * The outcome of applying a deactivation plan: the reference's apply response ({@code
 * deactivatedCount}, {@code failedEmails}) with the plan's groups, and the change sets written.
 *
 * @param plan the plan applied
 * @param deactivatedCount how many users this apply deactivated
 * @param failedEmails addresses whose user could not be deactivated (changed since the plan, gone,
 *     or refused)
 * @param changeSetIds the change sets written, one per chunk (or per written part of a chunk)
 */
public record DeactivationResult(
    DeactivationPlan plan,
    int deactivatedCount,
    List<String> failedEmails,
    List<String> changeSetIds) {}
