package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import java.util.List;
import java.util.Map;

/**
 * What applying a plan did: the users changed, the users already as planned (a second apply of the
 * same plan lands here), the users refused (changed since the plan, gone, not allowed), and the
 * change sets written (one per chunk, or per written part of a chunk whose bad row was isolated;
 * correlated to the plan).
 *
 * @param planId the plan
 * @param changed users this apply changed
 * @param alreadyDone users already in the planned state
 * @param failed users not changed, with the problem
 * @param changeSetIds the change sets, in order
 */
public record ApplyResult(
    String planId,
    List<UserId> changed,
    List<UserId> alreadyDone,
    Map<UserId, Problem> failed,
    List<String> changeSetIds) {}
