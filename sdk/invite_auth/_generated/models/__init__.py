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
from .fresh_proof import FreshProof
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
from .login_password_change_request import LoginPasswordChangeRequest
from .login_password_changed import LoginPasswordChanged
from .login_start_request import LoginStartRequest
from .login_start_response import LoginStartResponse
from .me_info import MeInfo
from .me_info_kind import MeInfoKind
from .mfa_recovery_finish_request import MfaRecoveryFinishRequest
from .mfa_recovery_start_request import MfaRecoveryStartRequest
from .mfa_recovery_start_response import MfaRecoveryStartResponse
from .mfa_secrets import MfaSecrets
from .outstanding_invitation import OutstandingInvitation
from .password_change_request import PasswordChangeRequest
from .password_change_response import PasswordChangeResponse
from .password_login_request import PasswordLoginRequest
from .problem import Problem
from .problem_code import ProblemCode
from .problem_field_error import ProblemFieldError
from .reauth_start_request import ReauthStartRequest
from .reauth_start_response import ReauthStartResponse
from .recovery_codes_secrets import RecoveryCodesSecrets
from .recovery_invite_issued import RecoveryInviteIssued
from .registration_finish_request import RegistrationFinishRequest
from .registration_finish_response import RegistrationFinishResponse
from .registration_start_request import RegistrationStartRequest
from .registration_start_response import RegistrationStartResponse
from .sealed_mfa import SealedMfa
from .sealed_recovery_codes import SealedRecoveryCodes
from .sealed_recovery_codes_response import SealedRecoveryCodesResponse
from .sealed_totp import SealedTotp
from .sealed_totp_response import SealedTotpResponse
from .session_info import SessionInfo
from .session_list import SessionList
from .session_response import SessionResponse
from .sessions_revoked import SessionsRevoked
from .totp_confirm_request import TotpConfirmRequest
from .totp_secrets import TotpSecrets

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
    "FreshProof",
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
    "LoginPasswordChangeRequest",
    "LoginPasswordChanged",
    "LoginStartRequest",
    "LoginStartResponse",
    "MeInfo",
    "MeInfoKind",
    "MfaRecoveryFinishRequest",
    "MfaRecoveryStartRequest",
    "MfaRecoveryStartResponse",
    "MfaSecrets",
    "OutstandingInvitation",
    "PasswordChangeRequest",
    "PasswordChangeResponse",
    "PasswordLoginRequest",
    "Problem",
    "ProblemCode",
    "ProblemFieldError",
    "ReauthStartRequest",
    "ReauthStartResponse",
    "RecoveryCodesSecrets",
    "RecoveryInviteIssued",
    "RegistrationFinishRequest",
    "RegistrationFinishResponse",
    "RegistrationStartRequest",
    "RegistrationStartResponse",
    "SealedMfa",
    "SealedRecoveryCodes",
    "SealedRecoveryCodesResponse",
    "SealedTotp",
    "SealedTotpResponse",
    "SessionInfo",
    "SessionList",
    "SessionResponse",
    "SessionsRevoked",
    "TotpConfirmRequest",
    "TotpSecrets",
)
