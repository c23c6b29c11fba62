"""Typed exceptions for the API's problem codes: one class per code, one base class."""

from __future__ import annotations

from typing import Any, ClassVar


class InviteAuthError(Exception):
    """Base class: an error answer from the server, or a failure the client noticed."""

    code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        problem: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problem = problem or {}
        # Seconds to wait before trying again, from the Retry-After header (429, 503).
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} ({self.status} {self.code})" if self.status else self.message


class ApiError(InviteAuthError):
    """An error response whose code this SDK version does not know."""


class MalformedRequest(InviteAuthError):
    code = "malformed_request"


class UnsupportedMediaType(InviteAuthError):
    code = "unsupported_media_type"


class PayloadTooLarge(InviteAuthError):
    code = "payload_too_large"


class InvalidDomain(InviteAuthError):
    code = "invalid_domain"


class InvalidAccountName(InviteAuthError):
    code = "invalid_account_name"


class Unauthenticated(InviteAuthError):
    code = "unauthenticated"


class NotPrivileged(InviteAuthError):
    code = "not_privileged"


class CrossSiteRequest(InviteAuthError):
    """A browser sent a state-changing request on behalf of another site (refused)."""

    code = "cross_site_request"


class RegistrationClosed(InviteAuthError):
    code = "registration_closed"


class DomainTaken(InviteAuthError):
    code = "domain_taken"


class AccountExists(InviteAuthError):
    code = "account_exists"


class InviteInvalid(InviteAuthError):
    code = "invite_invalid"


class InviteExpired(InviteAuthError):
    code = "invite_expired"


class InviteUsed(InviteAuthError):
    code = "invite_used"


class InviteMismatch(InviteAuthError):
    code = "invite_mismatch"


class RegistrationNotFound(InviteAuthError):
    code = "registration_not_found"


class InvalidSealingKey(InviteAuthError):
    code = "invalid_sealing_key"


class LoginNotFound(InviteAuthError):
    code = "login_not_found"


class LoginFailed(InviteAuthError):
    """Wrong password (or unknown account): the same whether server or client noticed."""

    code = "login_failed"


class MfaRequired(InviteAuthError):
    code = "mfa_required"


class MfaInvalid(InviteAuthError):
    code = "mfa_invalid"


class TotpReplayed(InviteAuthError):
    code = "totp_replayed"


class RateLimited(InviteAuthError):
    code = "rate_limited"


class AccountDisabled(InviteAuthError):
    """The password was right, but a privileged account disabled this account."""

    code = "account_disabled"


class AccountNotFound(InviteAuthError):
    code = "account_not_found"


class ReauthenticationNotFound(InviteAuthError):
    """The fresh proof expired, was used, or belongs to another session: start again."""

    code = "reauthentication_not_found"


class TotpEnrollmentNotFound(InviteAuthError):
    """No TOTP re-enrolment is waiting for a code: start one first."""

    code = "totp_enrollment_not_found"


class RecoveryInviteInvalid(InviteAuthError):
    """The recovery invite is unknown, used, expired, or for another account."""

    code = "recovery_invite_invalid"


class RecoveryNotFound(InviteAuthError):
    """The MFA recovery took too long (or was finished already): start again."""

    code = "recovery_not_found"


class StoreUnavailable(InviteAuthError):
    """The server's store cannot take the request now; nothing was written. Retry after
    `retry_after` seconds."""

    code = "store_unavailable"


class InvitationNotFound(InviteAuthError):
    code = "invitation_not_found"


class NameTaken(InviteAuthError):
    code = "name_taken"


class InvalidName(InviteAuthError):
    code = "invalid_name"


class InvalidPassword(InviteAuthError):
    code = "invalid_password"


class SetupDone(InviteAuthError):
    code = "setup_done"


class SetupDisabled(InviteAuthError):
    code = "setup_disabled"


class CannotAdministerSelf(InviteAuthError):
    """A privileged account tried to disable or delete itself."""

    code = "cannot_administer_self"


class NotOpaqueAccount(InviteAuthError):
    """MFA reset of a password login, which has no second factor."""

    code = "not_opaque_account"


class InviteNotFound(InviteAuthError):
    """No outstanding invite token has this id (unknown, used, revoked or expired)."""

    code = "invite_not_found"


class InviteRevoked(InviteAuthError):
    """The invite token was revoked by a privileged account."""

    code = "invite_revoked"


class TooManyInvitations(InviteAuthError):
    """The login has as many outstanding invitations as it may; see `retry_after`."""

    code = "too_many_invitations"


class SessionNotFound(InviteAuthError):
    """None of your live sessions has this id (another's, unknown, or already ended)."""

    code = "session_not_found"


class WrongAccountKind(InviteAuthError):
    """The operation is for the other kind of account (e.g. `change_login_password` on an
    OPAQUE account)."""

    code = "wrong_account_kind"


class ProtocolError(InviteAuthError):
    """The server's answer broke the protocol (bad bytes, a bundle that does not open)."""

    code = "protocol_error"


ERRORS_BY_CODE: dict[str, type[InviteAuthError]] = {
    cls.code: cls
    for cls in InviteAuthError.__subclasses__()
    if cls not in (ApiError, ProtocolError)
}


def error_from_problem(
    status: int, problem: dict[str, Any], retry_after: str | None = None
) -> InviteAuthError:
    """The typed exception for an error response's problem document."""
    code = problem.get("code")
    cls = ERRORS_BY_CODE.get(code, ApiError) if isinstance(code, str) else ApiError
    message = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
    seconds = int(retry_after) if retry_after is not None and retry_after.isdigit() else None
    return cls(message, status=status, problem=problem, retry_after=seconds)
