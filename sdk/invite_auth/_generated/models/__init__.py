"""Contains all the data models used in inputs/outputs"""

from .account_info import AccountInfo
from .account_info_kind import AccountInfoKind
from .account_page import AccountPage
from .admin_account import AdminAccount
from .admin_account_kind import AdminAccountKind
from .admin_invite import AdminInvite
from .audit_entry import AuditEntry
from .audit_entry_detail import AuditEntryDetail
from .audit_page import AuditPage
from .credentials import Credentials
from .empty_request import EmptyRequest
from .invitation_created import InvitationCreated
from .invitation_list import InvitationList
from .invitation_shown import InvitationShown
from .invite_list import InviteList
from .invite_response import InviteResponse
from .issuer import Issuer
from .list_accounts_disabled import ListAccountsDisabled
from .list_accounts_kind import ListAccountsKind
from .login_finish_request import LoginFinishRequest
from .login_info import LoginInfo
from .login_start_request import LoginStartRequest
from .login_start_response import LoginStartResponse
from .me_info import MeInfo
from .me_info_kind import MeInfoKind
from .mfa_secrets import MfaSecrets
from .outstanding_invitation import OutstandingInvitation
from .password_change_request import PasswordChangeRequest
from .password_changed import PasswordChanged
from .password_login_request import PasswordLoginRequest
from .problem import Problem
from .problem_code import ProblemCode
from .problem_field_error import ProblemFieldError
from .recovery_invite_issued import RecoveryInviteIssued
from .registration_finish_request import RegistrationFinishRequest
from .registration_finish_response import RegistrationFinishResponse
from .registration_start_request import RegistrationStartRequest
from .registration_start_response import RegistrationStartResponse
from .sealed_mfa import SealedMfa
from .session_info import SessionInfo
from .session_list import SessionList
from .session_response import SessionResponse
from .sessions_revoked import SessionsRevoked

__all__ = (
    "AccountInfo",
    "AccountInfoKind",
    "AccountPage",
    "AdminAccount",
    "AdminAccountKind",
    "AdminInvite",
    "AuditEntry",
    "AuditEntryDetail",
    "AuditPage",
    "Credentials",
    "EmptyRequest",
    "InvitationCreated",
    "InvitationList",
    "InvitationShown",
    "InviteList",
    "InviteResponse",
    "Issuer",
    "ListAccountsDisabled",
    "ListAccountsKind",
    "LoginFinishRequest",
    "LoginInfo",
    "LoginStartRequest",
    "LoginStartResponse",
    "MeInfo",
    "MeInfoKind",
    "MfaSecrets",
    "OutstandingInvitation",
    "PasswordChangeRequest",
    "PasswordChanged",
    "PasswordLoginRequest",
    "Problem",
    "ProblemCode",
    "ProblemFieldError",
    "RecoveryInviteIssued",
    "RegistrationFinishRequest",
    "RegistrationFinishResponse",
    "RegistrationStartRequest",
    "RegistrationStartResponse",
    "SealedMfa",
    "SessionInfo",
    "SessionList",
    "SessionResponse",
    "SessionsRevoked",
)
