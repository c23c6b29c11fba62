"""One enum of every problem the API can answer with; the OpenAPI document reuses the codes."""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(enum.Enum):
    """Stable machine-readable problem codes: (HTTP status, title)."""

    # Generic request problems
    MALFORMED_REQUEST = (400, "The request body is not valid")
    UNSUPPORTED_MEDIA_TYPE = (415, "The request body must be application/json")
    PAYLOAD_TOO_LARGE = (413, "The request body is too large")
    # Seed 000: invites and registration
    INVALID_DOMAIN = (400, "The domain is not a valid host name")
    INVALID_ACCOUNT_NAME = (400, "The account name is not valid")
    UNAUTHENTICATED = (401, "Missing or invalid credentials")
    NOT_PRIVILEGED = (403, "This action needs a privileged account")
    CROSS_SITE_REQUEST = (403, "Cross-site request refused")
    REGISTRATION_CLOSED = (403, "Registration is closed")
    DOMAIN_TAKEN = (409, "The domain already has an owner")
    ACCOUNT_EXISTS = (409, "An account with this name already exists")
    INVITE_INVALID = (400, "The invite token is malformed or its signature is invalid")
    INVITE_EXPIRED = (410, "The invite token has expired")
    INVITE_USED = (409, "The invite token has already been used")
    INVITE_MISMATCH = (400, "The invite token was issued for another account")
    REGISTRATION_NOT_FOUND = (404, "Unknown or expired registration")
    INVALID_SEALING_KEY = (400, "The sealing public key is not a usable X25519 key")
    # Login and MFA
    LOGIN_NOT_FOUND = (404, "Unknown or expired login attempt")
    LOGIN_FAILED = (401, "Login failed")
    MFA_REQUIRED = (401, "A TOTP code or a recovery code is required")
    MFA_INVALID = (401, "The TOTP code or recovery code is wrong")
    TOTP_REPLAYED = (401, "This TOTP code has already been used")
    RATE_LIMITED = (429, "Too many failed attempts; try again later")
    ACCOUNT_DISABLED = (403, "This account is disabled")
    ACCOUNT_NOT_FOUND = (404, "No account has this name")
    # Fresh OPAQUE proof (password change, recovery codes, TOTP) and MFA recovery
    REAUTHENTICATION_NOT_FOUND = (404, "Unknown or expired reauthentication")
    TOTP_ENROLLMENT_NOT_FOUND = (404, "No TOTP re-enrolment is waiting for confirmation")
    RECOVERY_INVITE_INVALID = (404, "Unknown, used or expired recovery invite")
    RECOVERY_NOT_FOUND = (404, "Unknown or expired MFA recovery")
    # Seed 003: invitations and password logins
    INVITATION_NOT_FOUND = (404, "Unknown, accepted or expired invitation")
    NAME_TAKEN = (409, "The name is already in use")
    INVALID_NAME = (400, "The login name is not valid")
    INVALID_PASSWORD = (400, "The password does not meet the password policy")
    SETUP_DONE = (409, "Initial setup has already been done")
    SETUP_DISABLED = (403, "Initial setup through the API is switched off")
    # Administration
    CANNOT_ADMINISTER_SELF = (409, "An account cannot disable or delete itself")
    NOT_OPAQUE_ACCOUNT = (409, "Only an OPAQUE account has MFA to reset")
    INVITE_NOT_FOUND = (404, "Unknown, used, revoked or expired invite token")
    INVITE_REVOKED = (410, "The invite token has been revoked")
    TOO_MANY_INVITATIONS = (429, "Too many outstanding invitations")
    # Self-service: one's own sessions, invitations and password
    SESSION_NOT_FOUND = (404, "No session of yours has this id")
    WRONG_ACCOUNT_KIND = (403, "This operation is not for this kind of account")
    # The store is full, failing or out of reach: nothing was written; try again later.
    STORE_UNAVAILABLE = (503, "The service is temporarily unavailable")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]

    @property
    def code(self) -> str:
        return self.name.lower()


class ProblemError(Exception):
    """Raised anywhere below the HTTP layer; rendered as RFC 9457 problem details."""

    def __init__(
        self,
        code: ErrorCode,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or code.title)
        self.code = code
        self.detail = detail or code.title
        self.headers = headers or {}
        self.extra = extra or {}

    def to_problem(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"urn:invite-auth:problem:{self.code.code}",
            "title": self.code.title,
            "status": self.code.status,
            "detail": self.detail,
            "code": self.code.code,
        }
        body.update(self.extra)
        return body
