from enum import StrEnum


class ProblemCode(StrEnum):
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_EXISTS = "account_exists"
    CROSS_SITE_REQUEST = "cross_site_request"
    DOMAIN_TAKEN = "domain_taken"
    INVALID_ACCOUNT_NAME = "invalid_account_name"
    INVALID_DOMAIN = "invalid_domain"
    INVALID_NAME = "invalid_name"
    INVALID_PASSWORD = "invalid_password"
    INVALID_SEALING_KEY = "invalid_sealing_key"
    INVITATION_NOT_FOUND = "invitation_not_found"
    INVITE_EXPIRED = "invite_expired"
    INVITE_INVALID = "invite_invalid"
    INVITE_MISMATCH = "invite_mismatch"
    INVITE_USED = "invite_used"
    LOGIN_FAILED = "login_failed"
    LOGIN_NOT_FOUND = "login_not_found"
    MALFORMED_REQUEST = "malformed_request"
    MFA_INVALID = "mfa_invalid"
    MFA_REQUIRED = "mfa_required"
    NAME_TAKEN = "name_taken"
    NOT_PRIVILEGED = "not_privileged"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    RATE_LIMITED = "rate_limited"
    REGISTRATION_CLOSED = "registration_closed"
    REGISTRATION_NOT_FOUND = "registration_not_found"
    SETUP_DISABLED = "setup_disabled"
    SETUP_DONE = "setup_done"
    STORE_UNAVAILABLE = "store_unavailable"
    TOO_MANY_INVITATIONS = "too_many_invitations"
    TOTP_REPLAYED = "totp_replayed"
    UNAUTHENTICATED = "unauthenticated"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

    def __str__(self) -> str:
        return str(self.value)
