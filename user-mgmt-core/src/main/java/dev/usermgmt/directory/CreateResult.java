package dev.usermgmt.directory;

import dev.usermgmt.UserId;
import dev.usermgmt.user.User;
import java.util.List;

/**
 * What creating users did.
 *
 * @param created the new users, in draft order (as stored after invitations)
 * @param invited the users an invitation or welcome e-mail went to
 * @param invitationFailures the users whose e-mail could not be sent
 * @param changeSetId the change set recording the creation
 */
public record CreateResult(
    List<User> created,
    List<UserId> invited,
    List<UserId> invitationFailures,
    String changeSetId) {}
