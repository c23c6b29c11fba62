"""Quart plugin: invite-only onboarding with OPAQUE registration, TOTP and invitations."""

from .config import Settings
from .errors import ErrorCode, ProblemError
from .extension import InviteAuth

__all__ = ["ErrorCode", "InviteAuth", "ProblemError", "Settings"]
