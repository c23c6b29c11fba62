"""schemathesis against every operation of openapi.yaml, in-process, and statefully.

Checks: all of schemathesis's defaults, except `positive_data_acceptance`. That check
expects every schema-valid request to be accepted, but a JSON schema cannot say "a
canonical ristretto255 element" or "an invite token signed by this server": a request can
match the schema and still be refused, rightly, with 400. Every other check runs: no
server error, status codes, headers and bodies conform, negative data is rejected,
authentication is not ignored, unsupported methods are refused.
"""

from __future__ import annotations

import asyncio
import shutil
from typing import Any, ClassVar

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from invite_auth.opaque import (
    IdentityKSF,
    ServerSetup,
    create_registration_request,
    create_registration_response,
    finalize_registration_request,
    generate_ke1,
)
from invite_auth.sealing import sealing_public_key
from tests.plugin.helpers import b64e

from .conftest import APP, DATA_DIR, SPEC, Served, build_app, prepare

EXCLUDED = [positive_data_acceptance]
MAX_EXAMPLES = 60
LOGOUTS = {"/accounts/logout", "/api/auth/logout"}
# revokeSession may end the session it is given (the link from listSessions hands it the
# oldest session): it gets a spare session of its own, like the logouts, and the listing
# that links to it lists the spare sessions' login, so that the link can reach a 204.
OWN_SESSIONS = "/accounts/sessions"
REVOKE_SESSION = "/accounts/sessions/{id}"


schema = schemathesis.openapi.from_path(SPEC)
schema.app = APP

# Random bytes of the right length are rarely a canonical ristretto255 element, so the
# generated bodies alone would hardly get past message decoding. Half the time, the
# protocol fields get real OPAQUE messages instead (made here, so runs are repeatable in
# shape), and the operations behind them are reached too.
_SETUP = ServerSetup.generate()
_requests = [create_registration_request(b"pw %d" % i)[0].to_bytes() for i in range(8)]
_ke1s = [generate_ke1(b"pw %d" % i)[0].to_bytes() for i in range(8)]
_records = [
    finalize_registration_request(
        state,
        create_registration_response(_SETUP, request, b"L%d" % i),
        ksf=IdentityKSF(),
    )[0].to_bytes()
    for i, (request, state) in enumerate(
        create_registration_request(b"pw %d" % i) for i in range(8)
    )
]
_VALID_FIELDS = {
    "registration_request": _requests,
    "ke1": _ke1s,
    "registration_record": _records,
    "sealing_public_key": [sealing_public_key(bytes([i]) * 64) for i in range(8)],
}


@schema.hook
def flatmap_case(context: Any, case: Any) -> Any:
    body = case.body
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if negative or not isinstance(body, dict) or not _VALID_FIELDS.keys() & body.keys():
        return st.just(case)  # negative cases must stay invalid
    valid = st.fixed_dictionaries(
        {
            name: st.sampled_from([b64e(v) for v in values])
            for name, values in _VALID_FIELDS.items()
            if name in body
        }
    )

    def with_fields(fields: dict[str, str]) -> Any:
        case.body = {**body, **fields}
        return case

    return st.one_of(st.just(case), valid.map(with_fields))


def auth_headers(served: Served, path: str) -> dict[str, str]:
    # Logout ends the session it is given: each logout example gets one of its own.
    if path in LOGOUTS or path == REVOKE_SESSION:
        token = served.spare_tokens.pop()
    elif path == OWN_SESSIONS:
        token = served.spare_tokens[0]  # used last: it stays alive longest
    else:
        token = served.root_token
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(case: Any, served: Served) -> None:
    case.call_and_validate(
        headers=auth_headers(served, case.operation.path), excluded_checks=EXCLUDED
    )


# The stateful runs get an app and a store of their own, emptied before each example.
STATEFUL_DATA_DIR = DATA_DIR / "stateful"
STATEFUL_TEMPLATE_DIR = DATA_DIR / "stateful-template"
STATEFUL_APP, STATEFUL_AUTH = build_app(STATEFUL_DATA_DIR)
# The served contract links nowhere and changes nothing: the parametrized test covers it,
# and in the state machine it would only take steps from the workflows. Administration has
# a state machine of its own (below): its operations, always available to root, would
# take most steps from these workflows.
# The account lifecycle's operations (own sessions and invitations, fresh proofs, MFA
# recovery) have one too, for the same reason.
LIFECYCLE_WORKFLOW = [
    "createInvitation",
    "getInvitation",
    "listInvitations",
    "revokeInvitation",
    "listSessions",
    "revokeSession",
    "revokeOtherSessions",
    "changeLoginPassword",
    "getMe",
    "startReauthentication",
    "changePassword",
    "regenerateRecoveryCodes",
    "startTotpReenrollment",
    "confirmTotpReenrollment",
    "startMfaRecovery",
    "finishMfaRecovery",
]
_SHARED = {"createInvitation", "getInvitation", "getMe"}
stateful_schema = (
    schemathesis.openapi.from_path(SPEC)
    .exclude(operation_id="getOpenApiDocument")
    .exclude(tag="admin")
    .exclude(operation_id=[op for op in LIFECYCLE_WORKFLOW if op not in _SHARED])
)
stateful_schema.app = STATEFUL_APP
stateful_schema.hook(flatmap_case)


class Workflows(stateful_schema.as_state_machine()):  # type: ignore[misc]
    """Chains of calls along the spec's links: an invite token from getAccountInvite into
    startRegistration, a registration_id into finishRegistration, an invitation id from
    createInvitation into getInvitation and acceptInvitation, a login_id into finishLogin.

    Each example starts from a fresh store, so what a step can do depends only on the
    steps before it: Hypothesis needs that to replay and shrink a failing sequence.
    """

    served: Served
    template: ClassVar[Served | None] = None
    seen: ClassVar[set[tuple[str, int]]] = set()

    def setup(self) -> None:
        # Every example starts from the same prepared store (root, a login, sessions):
        # prepared once, then copied back, as the recovery-code hashing makes preparing
        # cost a quarter of a second.
        # in-process calls leave it open; they run no serving hooks
        asyncio.run(STATEFUL_AUTH.close())
        shutil.rmtree(STATEFUL_DATA_DIR, ignore_errors=True)
        if Workflows.template is None:
            served = Served(STATEFUL_APP, STATEFUL_AUTH)
            asyncio.run(prepare(served, spares=4 * STEPS))
            shutil.copytree(STATEFUL_DATA_DIR, STATEFUL_TEMPLATE_DIR)
            Workflows.template = served
        else:
            shutil.copytree(STATEFUL_TEMPLATE_DIR, STATEFUL_DATA_DIR)
        template = Workflows.template
        self.served = Served(
            STATEFUL_APP, STATEFUL_AUTH, template.root_token, list(template.spare_tokens)
        )
        asyncio.run(STATEFUL_AUTH.open())

    def teardown(self) -> None:
        asyncio.run(STATEFUL_AUTH.close())

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": auth_headers(self.served, case.operation.path)}

    def after_call(self, response: Any, case: Any) -> None:
        self.seen.add((case.operation.label, response.status_code))

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(
            response,
            additional_checks=additional_checks,
            excluded_checks=EXCLUDED,
            transport_kwargs=kwargs,
        )


STEPS = 10


def test_stateful_workflows() -> None:
    Workflows.run(
        settings=settings(
            max_examples=80,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Only ids and tokens handed over along links can give these: an invite token from
    # getAccountInvite that started and finished a registration, an invitation accepted.
    for reached in (
        ("POST /accounts/registration/finish", 201),
        ("GET /api/invite/{id}", 200),
        ("POST /api/invite/{id}", 200),
        ("POST /accounts/login/start", 200),
    ):
        assert reached in Workflows.seen, sorted(Workflows.seen)


lifecycle_schema = schemathesis.openapi.from_path(SPEC).include(operation_id=LIFECYCLE_WORKFLOW)
lifecycle_schema.app = STATEFUL_APP
lifecycle_schema.hook(flatmap_case)


class LifecycleWorkflows(lifecycle_schema.as_state_machine()):  # type: ignore[misc]
    """The account lifecycle's chains, each example from the same fresh store as
    Workflows: an invitation's ref from listInvitations into revokeInvitation, a session
    id from listSessions into revokeSession, a fresh proof's start and its uses."""

    served: Served
    seen: ClassVar[set[tuple[str, int]]] = set()
    setup = Workflows.setup
    teardown = Workflows.teardown
    get_call_kwargs = Workflows.get_call_kwargs
    after_call = Workflows.after_call
    validate_response = Workflows.validate_response


def test_stateful_lifecycle() -> None:
    LifecycleWorkflows.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    for reached in (
        # along the links from createInvitation / listInvitations and listSessions
        ("DELETE /api/invitations/{ref}", 204),
        ("DELETE /accounts/sessions/{id}", 204),
        # a fresh proof started with the session's own account
        ("POST /accounts/reauth/start", 200),
    ):
        assert reached in LifecycleWorkflows.seen, sorted(LifecycleWorkflows.seen)


# Administration along its links: an account's name from listAccounts into getAccount,
# disableAccount, enableAccount and resetAccountMfa, an invite token's id from listInvites
# into revokeInvite (getAccountInvite makes the tokens). The audit log links nowhere.
ADMIN_WORKFLOW = [
    "getAccountInvite",
    "listAccounts",
    "getAccount",
    "disableAccount",
    "enableAccount",
    "deleteAccount",
    "resetAccountMfa",
    "listInvites",
    "revokeInvite",
]
admin_schema = schemathesis.openapi.from_path(SPEC).include(operation_id=ADMIN_WORKFLOW)
admin_schema.app = STATEFUL_APP


class AdminWorkflows(admin_schema.as_state_machine()):  # type: ignore[misc]
    """The administration's chains, each example from the same fresh store as Workflows."""

    served: Served
    seen: ClassVar[set[tuple[str, int]]] = set()
    setup = Workflows.setup
    teardown = Workflows.teardown
    get_call_kwargs = Workflows.get_call_kwargs
    after_call = Workflows.after_call
    validate_response = Workflows.validate_response


def test_stateful_administration() -> None:
    AdminWorkflows.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Only names and ids handed over along links can give these.
    for reached in (
        ("GET /accounts/admin/accounts/{name}", 200),
        ("DELETE /accounts/admin/invites/{id}", 204),
        ("POST /accounts/admin/accounts/{name}/reset-mfa", 200),
    ):
        assert reached in AdminWorkflows.seen, sorted(AdminWorkflows.seen)
