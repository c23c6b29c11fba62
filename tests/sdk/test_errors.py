"""One exception class per documented problem code, and error answers mapped onto them."""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx
import pytest

from invite_auth import Client, errors

yaml = importlib.import_module("yaml")
SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def spec_codes() -> set[str]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return set(spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"])


def test_every_documented_code_has_exactly_one_exception() -> None:
    assert set(errors.ERRORS_BY_CODE) == spec_codes()
    classes = list(errors.ERRORS_BY_CODE.values())
    assert len(set(classes)) == len(classes)
    for cls in classes:
        assert issubclass(cls, errors.InviteAuthError)


@pytest.mark.parametrize("code", sorted(spec_codes()))
def test_a_problem_becomes_its_exception(code: str) -> None:
    problem = {"code": code, "status": 400, "title": "t", "detail": f"because {code}"}
    error = errors.error_from_problem(400, problem, "7")
    assert type(error) is errors.ERRORS_BY_CODE[code]
    assert (error.status, error.message, error.retry_after) == (400, f"because {code}", 7)
    assert code in str(error)


def answering(status: int, body: bytes, content_type: str) -> Client:
    """A client whose transport gives one fixed answer: for answers our server never gives
    (a proxy's error page, a code from a later version), which the real server cannot
    produce; everything the server does answer is tested against it in tests/e2e."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    return Client("http://server.test", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (502, b"<html>Bad Gateway</html>", "text/html"),  # a proxy in the way
        (503, b"", "text/plain"),
        (400, b'{"code": "from_a_future_version", "detail": "new"}', "application/problem+json"),
        (400, b"[1, 2]", "application/json"),
    ],
)
def test_answers_that_are_not_our_problems_are_api_errors(
    status: int, body: bytes, content_type: str
) -> None:
    with answering(status, body, content_type) as client, pytest.raises(errors.ApiError) as caught:
        client.show_invitation("Iabc")
    assert caught.value.status == status


def test_a_success_with_the_wrong_shape_is_a_protocol_error() -> None:
    client = answering(200, b'{"unexpected": true}', "application/json")
    with client, pytest.raises(errors.ProtocolError, match="get_invitation"):
        client.show_invitation("Iabc")


def test_login_needs_exactly_one_second_factor() -> None:
    with answering(500, b"", "text/plain") as client:
        with pytest.raises(ValueError, match="exactly one"):
            client.login("root", "pw")
        with pytest.raises(ValueError, match="exactly one"):
            client.login("root", "pw", totp_code="123456", recovery_code="AAAA-BBBB")
