"""Quart plugin: invite-only onboarding with OPAQUE registration, TOTP and invitations.

What a host app uses, all here: `InviteAuth` (the extension), `current_account()`,
`login_required` and `privileged_required` for its own routes, `signals` for hooks after
security events, and `quart_invite_auth.testing` for its test suite.
"""

from . import signals
from .access import Account, current_account, login_required, privileged_required
from .config import ConfigurationError, Settings
from .errors import ErrorCode, ProblemError
from .extension import InviteAuth
from .signals import SecurityEvent

__all__ = [
    "Account",
    "ConfigurationError",
    "ErrorCode",
    "InviteAuth",
    "ProblemError",
    "SecurityEvent",
    "Settings",
    "current_account",
    "login_required",
    "privileged_required",
    "signals",
]
