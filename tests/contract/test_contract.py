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
# and in the state machine it would only take steps from the workflows. So would the
# session self-service operations (they link only among themselves, and root has one
# session and no password to change): every operation the walks take dilutes them, and
# registration finish must stay reachable. They stay in the parametrized test; the
# invitation ones stay here, along the link from createInvitation to revokeInvitation.
STATEFUL_EXCLUDED = (
    "getOpenApiDocument",
    "listSessions",
    "revokeSession",
    "revokeOtherSessions",
    "changeLoginPassword",
)
stateful_schema = schemathesis.openapi.from_path(SPEC).exclude(operation_id=list(STATEFUL_EXCLUDED))
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
            max_examples=150,
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
        # along the links from createInvitation and listInvitations
        ("DELETE /api/invitations/{ref}", 204),
    ):
        assert reached in Workflows.seen, "; ".join(map(str, sorted(Workflows.seen)))
