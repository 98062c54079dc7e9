package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.user.EmailAddress;

/**
 * Sends invitation and welcome e-mails: the host owns mail; the library decides who gets what and
 * records the invite state. A send that fails throws; the library counts it as failed and records
 * nothing for that user.
 */
@FunctionalInterface
public interface InvitationSender {
  /** What kind of message to send. */
  enum Kind {
    /** An invitation (or a reminder of it) to a user who has not signed in yet. */
    INVITATION,
    /** A welcome / magic-link e-mail to a user created active. */
    WELCOME
  }

  /**
   * Sends one message.
   *
   * @param tenant the tenant
   * @param user the user
   * @param to the address
   * @param kind what to send
   */
  void send(TenantId tenant, UserId user, EmailAddress to, Kind kind);

  /**
   * A sender that sends nothing (for hosts that send mail another way).
   *
   * @return the sender
   */
  static InvitationSender none() {
    return (tenant, user, to, kind) -> {};
  }
}
