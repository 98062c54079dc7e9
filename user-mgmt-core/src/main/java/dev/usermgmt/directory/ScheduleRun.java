package dev.usermgmt.directory;

import dev.usermgmt.UserId;
import java.util.List;

/**
 * What {@code runDueSchedules} did.
 *
 * @param invited users whose scheduled invitation went out
 * @param activated users whose scheduled activation happened
 * @param failed users whose scheduled work failed (e-mail not sent, illegal state); retried next
 *     run
 */
public record ScheduleRun(List<UserId> invited, List<UserId> activated, List<UserId> failed) {}
