package dev.usermgmt.directory;

import dev.usermgmt.UserId;
import java.util.List;
import java.util.Optional;

/**
 * What sending invitations did.
 *
 * @param sent the users an e-mail went to
 * @param failed the users whose e-mail could not be sent
 * @param skipped the users not eligible (no e-mail, already signed in, inactive)
 * @param changeSetId the change set recording the invite state, if anything was sent
 */
public record InvitationResult(
    List<UserId> sent, List<UserId> failed, List<UserId> skipped, Optional<String> changeSetId) {}
