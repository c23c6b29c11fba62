"""invite-auth SDK: the OPAQUE client and a typed client for the invite-auth API."""

from .client import AsyncClient, Client
from .errors import InviteAuthError
from .results import (
    Account,
    Invitation,
    InvitationDetails,
    Login,
    OutstandingInvitation,
    PasswordChanged,
    Registration,
    Session,
    SessionInfo,
    SiteInvite,
    TotpEnrollment,
)

__version__ = "0.1.0"

__all__ = [
    "Account",
    "AsyncClient",
    "Client",
    "Invitation",
    "InvitationDetails",
    "InviteAuthError",
    "Login",
    "OutstandingInvitation",
    "PasswordChanged",
    "Registration",
    "Session",
    "SessionInfo",
    "SiteInvite",
    "TotpEnrollment",
    "__version__",
]
