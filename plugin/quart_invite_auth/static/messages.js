// Errors in words for people: what happened and what to do, never a bare code.

import { InviteAuthError } from "./errors.js";

/**
 * What the person was doing, so one code can be told in the words that fit.
 * @typedef {"register" | "login" | "totp" | "recovery" | "invitation" | "password-login"
 *   | "site-invite" | "account" | "current-password" | "fresh-proof"} Situation
 * ("current-password": a password login proves its password to change it; "fresh-proof": an
 * account proves its password and a second factor again before changing its secrets)
 */

/**
 * "12 minutes", "1 hour and 5 minutes", "30 seconds".
 * @param {number} seconds
 * @returns {string}
 */
export function duration(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  /** @param {number} n @param {string} unit */
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (s < 60) return plural(s, "second");
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${plural(hours, "hour")} and ${plural(rest, "minute")}` : plural(hours, "hour");
}

/**
 * @param {InviteAuthError} err
 */
function wait(err) {
  return err.retryAfter !== null
    ? ` Try again in ${duration(err.retryAfter)}.`
    : " Try again later.";
}

/** @type {Record<string, string>} */
const WORDS = {
  invalid_domain: "That is not a valid domain name, such as example.com.",
  invalid_account_name:
    "Account names use 1 to 64 lower-case letters, digits, dots, dashes or underscores, " +
    "and start and end with a letter or digit.",
  unauthenticated: "You are not logged in, or your session has ended. Log in again.",
  not_privileged: "Your account cannot do this.",
  cross_site_request:
    "This request came from another site and was refused. Open this site directly and try again.",
  registration_closed: "Registration is closed on this site.",
  domain_taken: "That domain already has an owner.",
  account_exists: "An account with that name exists already.",
  invite_invalid: "This registration link is not valid. Check that you copied all of it.",
  invite_expired: "This registration link has expired. Ask for a new one.",
  invite_used:
    "This registration link has been used already. If you started registering a moment " +
    "ago, wait 10 minutes and try again; otherwise ask for a new link.",
  invite_mismatch: "This registration link is for another account.",
  registration_not_found: "The registration took too long and expired. Start again.",
  invalid_sealing_key: "Your browser produced an unusable key. Try again.",
  login_not_found: "The login took too long and expired. Start again.",
  login_failed: "The account name or the password is not right.",
  mfa_required: "Type the code from your authenticator app, or a recovery code.",
  reauthentication_not_found:
    "Confirming your password took too long, or was done in another window. Start again.",
  totp_enrollment_not_found:
    "No new authenticator is waiting for confirmation. Start setting up the new one again.",
  recovery_invite_invalid:
    "This recovery link cannot be used: it is for another account, was used already, or " +
    "expired. Ask the site's administrator for a new one.",
  recovery_not_found: "The recovery took too long and expired. Start again.",
  invitation_not_found:
    "This invitation cannot be used: it does not exist, it was accepted already, or it " +
    "expired. Ask the person who invited you for a new link.",
  name_taken: "That name is taken. Choose another one; your invitation is still valid.",
  session_not_found:
    "That session has already ended, or it is not one of yours. Reload the list of your sessions.",
  wrong_account_kind:
    "This is not possible for your kind of account: a password login and an account with " +
    "an authenticator app each change their secrets in their own way.",
  account_disabled: "This account is disabled. Ask the site's administrator to enable it again.",
  account_not_found: "No account has that name.",
  setup_done: "This site has been set up already.",
  setup_disabled: "Setting up through the web is switched off on this site.",
  cannot_administer_self: "You cannot disable or delete your own account.",
  not_opaque_account: "That is a password login: it has no second factor to reset.",
  invite_not_found: "That invite is no longer outstanding: it was used, revoked or has expired.",
  invite_revoked: "This invite was withdrawn. Ask whoever sent it for a new one.",
  payload_too_large: "What you typed is too long.",
  unsupported_media_type:
    "This page sent something the server did not expect. Reload the page and try again.",
  network_error: "The server could not be reached. Check your connection and try again.",
  protocol_error:
    "The server's answer did not make sense to this page. Try again; if it happens again, " +
    "tell the site's administrator.",
};

/**
 * The error in words, for the situation it happened in.
 * @param {unknown} err
 * @param {Situation} situation
 * @returns {string}
 */
export function describe(err, situation) {
  if (!(err instanceof InviteAuthError)) {
    return "Something went wrong in this page. Reload it and try again.";
  }
  switch (err.code) {
    case "rate_limited":
      return "Too many failed attempts for this account or from your network." + wait(err);
    case "too_many_invitations":
      return (
        "You have as many invitations outstanding as you may. Wait until one is " +
        "accepted or expires." +
        wait(err)
      );
    case "store_unavailable":
      return "The service is busy or under maintenance." + wait(err);
    case "mfa_invalid":
      if (situation === "fresh-proof") {
        return (
          "That code is not right. Type the code your authenticator app shows now, or a " +
          "recovery code you have not used yet."
        );
      }
      return situation === "recovery"
        ? "That recovery code is not right, or it has been used already. Each recovery code " +
            "works only once."
        : "That code is not right. Type the code your authenticator app shows now, and check " +
            "that your device's clock is correct.";
    case "totp_replayed":
      return "That code has been used already. Wait for your authenticator app to show the next code.";
    case "login_failed":
      if (situation === "current-password" || situation === "fresh-proof") {
        return "Your current password is not right.";
      }
      return situation === "password-login"
        ? "The name or the password is not right."
        : WORDS.login_failed;
    // The server's detail names the rule that was broken.
    case "invalid_name":
      return `That name cannot be used: ${err.detail}.`;
    case "invalid_password":
      return `That password cannot be used: ${err.detail}.`;
    case "malformed_request":
      return `Something you typed is not valid: ${err.detail}.`;
    case "http_error":
      return err.status >= 500
        ? "The server had a problem. Try again in a moment."
        : `The server refused the request (HTTP ${err.status}).`;
    default:
      return WORDS[err.code] ?? `The server refused: ${err.detail}`;
  }
}
