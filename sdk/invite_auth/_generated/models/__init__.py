"""Contains all the data models used in inputs/outputs"""

from .account_info import AccountInfo
from .account_info_kind import AccountInfoKind
from .credentials import Credentials
from .empty_request import EmptyRequest
from .invitation_created import InvitationCreated
from .invitation_shown import InvitationShown
from .invite_response import InviteResponse
from .issuer import Issuer
from .login_finish_request import LoginFinishRequest
from .login_info import LoginInfo
from .login_start_request import LoginStartRequest
from .login_start_response import LoginStartResponse
from .mfa_secrets import MfaSecrets
from .password_login_request import PasswordLoginRequest
from .problem import Problem
from .problem_code import ProblemCode
from .problem_field_error import ProblemFieldError
from .registration_finish_request import RegistrationFinishRequest
from .registration_finish_response import RegistrationFinishResponse
from .registration_start_request import RegistrationStartRequest
from .registration_start_response import RegistrationStartResponse
from .sealed_mfa import SealedMfa
from .session_response import SessionResponse

__all__ = (
    "AccountInfo",
    "AccountInfoKind",
    "Credentials",
    "EmptyRequest",
    "InvitationCreated",
    "InvitationShown",
    "InviteResponse",
    "Issuer",
    "LoginFinishRequest",
    "LoginInfo",
    "LoginStartRequest",
    "LoginStartResponse",
    "MfaSecrets",
    "PasswordLoginRequest",
    "Problem",
    "ProblemCode",
    "ProblemFieldError",
    "RegistrationFinishRequest",
    "RegistrationFinishResponse",
    "RegistrationStartRequest",
    "RegistrationStartResponse",
    "SealedMfa",
    "SessionResponse",
)
