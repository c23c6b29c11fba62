"""openapi.yaml and the plugin agree: the same routes, the same problem codes, the same bodies.

Conventions read from openapi.yaml:

* every error response (status >= 400) lists the problem codes it can carry in
  `x-problem-codes`, and each code's status (ErrorCode) is the response's status;
* component schemas named like the pydantic models in `quart_invite_auth.http.models`
  describe those models, and `MfaSecrets` describes the plaintext of the sealed bundle.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError, create_model
from quart import Quart

from quart_invite_auth import InviteAuth
from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.http import models
from quart_invite_auth.services.mfa import new_mfa_secrets

# PyYAML ships no type hints; importing it by name keeps mypy --strict independent of
# whether types-PyYAML is installed.
yaml = importlib.import_module("yaml")

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
IGNORED_METHODS = {"HEAD", "OPTIONS"}
ENDPOINT_PREFIX = "invite_auth_"
# The browser pages are HTML for people, not part of the JSON API the document describes.
PAGES_BLUEPRINT = "invite_auth_pages."
CODES_KEY = "x-problem-codes"
PROBLEM_JSON = "application/problem+json"

Operation = tuple[str, str]  # (METHOD, path template with anonymous "{}" parameters)


# -- reading the document ------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/a/b`) until a node that is not a reference."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert isinstance(ref, str)
        assert ref.startswith("#/"), f"only local references are used: {ref}"
        assert ref not in seen, f"reference cycle at {ref}"
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def template(path: str) -> str:
    """`/api/invite/{id}` and `/api/invite/<invitation_id>` both become `/api/invite/{}`."""
    path = re.sub(r"<(?:[^<>:]+:)?[^<>]+>", "{}", path)  # Werkzeug rule variables
    return re.sub(r"\{[^{}]+\}", "{}", path)  # OpenAPI path parameters


def spec_operations(spec: dict[str, Any]) -> Iterator[tuple[Operation, str, dict[str, Any]]]:
    """((METHOD, template), raw path, operation object) for every documented operation."""
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item and method.upper() not in IGNORED_METHODS:
                yield (method.upper(), template(path)), path, item[method]


def problem_schema(spec: dict[str, Any]) -> dict[str, Any]:
    schema = spec["components"]["schemas"]["Problem"]
    assert isinstance(schema, dict)
    return schema


def documented_codes(spec: dict[str, Any]) -> dict[str, set[int]]:
    """Every code listed by an operation's error responses, with the statuses it is under."""
    found: dict[str, set[int]] = {}
    for _, _, operation in spec_operations(spec):
        for status, response in operation["responses"].items():
            for code in resolve(spec, response).get(CODES_KEY, []):
                found.setdefault(code, set()).add(int(status))
    return found


# -- the app ---------------------------------------------------------------------------------


def build_app(data_dir: Path) -> Quart:
    app = Quart(__name__)
    InviteAuth(app, data_dir=str(data_dir), secret_key=secrets.token_hex(32))
    return app


def served_operations(app: Quart) -> set[Operation]:
    served: set[Operation] = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(ENDPOINT_PREFIX) or rule.endpoint.startswith(
            PAGES_BLUEPRINT
        ):
            continue
        for method in rule.methods or ():
            if method not in IGNORED_METHODS:
                served.add((method, template(rule.rule)))
    return served


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Quart]:
    app = build_app(tmp_path / "lmdb")
    async with app.test_app():
        yield app


# -- (1) routes ------------------------------------------------------------------------------


def test_the_app_serves_exactly_the_documented_operations(
    spec: dict[str, Any], tmp_path: Path
) -> None:
    served = served_operations(build_app(tmp_path / "lmdb"))
    documented = {operation for operation, _, _ in spec_operations(spec)}
    assert served, "no invite_auth_* routes found: the blueprints were renamed?"
    assert served - documented == set(), "served but not in openapi.yaml"
    assert documented - served == set(), "in openapi.yaml but not served"


def test_operation_ids_are_unique_and_present(spec: dict[str, Any]) -> None:
    ids = [operation.get("operationId") for _, _, operation in spec_operations(spec)]
    assert None not in ids
    assert len(ids) == len(set(ids))


# -- (2) the code enum -----------------------------------------------------------------------


def test_the_problem_enum_is_exactly_the_error_codes(spec: dict[str, Any]) -> None:
    enum = problem_schema(spec)["properties"]["code"]["enum"]
    assert len(enum) == len(set(enum)), "duplicate codes in the Problem enum"
    assert set(enum) == {member.code for member in ErrorCode}


# -- (3) every code is documented where it can happen, with its status ----------------------


def test_error_responses_list_their_codes_with_the_right_status(spec: dict[str, Any]) -> None:
    known = {member.code: member for member in ErrorCode}
    for (method, path), _, operation in spec_operations(spec):
        for status, raw in operation["responses"].items():
            response = resolve(spec, raw)
            codes = response.get(CODES_KEY)
            where = f"{method} {path} {status}"
            if int(status) < 400:
                assert codes is None, f"{where}: a success response lists problem codes"
                continue
            assert codes, f"{where}: an error response must list its codes in {CODES_KEY}"
            media = response["content"]
            assert list(media) == [PROBLEM_JSON], f"{where}: errors are {PROBLEM_JSON}"
            assert resolve(spec, media[PROBLEM_JSON]["schema"]) is problem_schema(spec)
            for code in codes:
                assert code in known, f"{where}: unknown code {code!r}"
                assert known[code].status == int(status), (
                    f"{where}: {code} has status {known[code].status}"
                )


def test_every_error_code_is_documented(spec: dict[str, Any]) -> None:
    missing = {member.code for member in ErrorCode} - documented_codes(spec).keys()
    assert missing == set(), f"codes no operation documents: {sorted(missing)}"


PLUGIN_DIR = Path(__file__).resolve().parents[2] / "plugin" / "quart_invite_auth"
HTTP_STATUS_CODES = {"MALFORMED_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"}


def test_every_documented_code_is_produced_somewhere() -> None:
    """A code the spec promises must be raised by some code path, not just declared."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in PLUGIN_DIR.rglob("*.py")
        if path.name != "errors.py"
    )
    raised = set(re.findall(r"ErrorCode\.([A-Z_]+)\b", source))
    # ... or through a ProblemError subclass of errors.py (e.g. StoreUnavailable)
    for cls in ProblemError.__subclasses__():
        if re.search(rf"\braise {cls.__name__}\(", source):
            made: Any = cls
            raised.add(made("raised").code.name)
    never = {member.name for member in ErrorCode} - raised
    assert never == set(), f"documented codes no code raises: {sorted(never)}"
    assert raised <= {member.name for member in ErrorCode}
    # the generic body errors are raised by the request parser in http/common.py
    common = (PLUGIN_DIR / "http" / "common.py").read_text(encoding="utf-8")
    assert set(re.findall(r"ErrorCode\.([A-Z_]+)\b", common)) >= HTTP_STATUS_CODES


async def test_unrouted_requests_are_left_to_the_host(served: Quart) -> None:
    """No problem code covers an unknown path or method: the host app answers those."""
    client = served.test_client()
    for method, path, status in (
        ("GET", "/api/no-such-endpoint", 404),
        ("GET", "/api/invite", 405),
    ):
        response = await getattr(client, method.lower())(path)
        assert response.status_code == status
        assert response.mimetype != PROBLEM_JSON


# -- generic responses and security --------------------------------------------------------


def test_json_body_operations_document_the_body_errors(spec: dict[str, Any]) -> None:
    expected = {
        "400": "malformed_request",
        "413": "payload_too_large",
        "415": "unsupported_media_type",
    }
    for (method, path), _, operation in spec_operations(spec):
        if "requestBody" not in operation:
            continue
        assert list(operation["requestBody"]["content"]) == ["application/json"]
        for status, code in expected.items():
            response = resolve(spec, operation["responses"].get(status, {}))
            assert code in response.get(CODES_KEY, []), f"{method} {path}: {status} {code}"


def test_login_operations_document_rate_limiting(spec: dict[str, Any]) -> None:
    for operation_id in ("startLogin", "finishLogin", "passwordLogin"):
        [operation] = [
            op for _, _, op in spec_operations(spec) if op["operationId"] == operation_id
        ]
        response = resolve(spec, operation["responses"]["429"])
        assert response[CODES_KEY] == ["rate_limited"]
        assert "Retry-After" in response["headers"]


def example_request(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> dict[str, Any]:
    """A request with the documented required query parameters and a `{}` body, if any."""
    query: dict[str, Any] = {}
    for raw in operation.get("parameters", []):
        parameter = resolve(spec, raw)
        if parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = parameter["example"]
    request: dict[str, Any] = {"path": re.sub(r"\{[^{}]+\}", "Iunknown", path)}
    if query:
        request["query_string"] = query
    if "requestBody" in operation:
        request["json"] = {}
    return request


async def test_credentials_are_required_exactly_where_documented(
    spec: dict[str, Any], served: Quart
) -> None:
    client = served.test_client()
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["bearer"]["type"], schemes["bearer"]["scheme"]) == ("http", "bearer")
    assert schemes["identity"]["in"] == "cookie"
    assert schemes["identity"]["name"] == "identity"
    for (method, _), path, operation in spec_operations(spec):
        secured = bool(operation.get("security", spec.get("security")))
        request = example_request(spec, path, operation)
        response = await getattr(client, method.lower())(request.pop("path"), **request)
        body = await response.get_json(silent=True) or {}
        unauthenticated = response.status_code == 401 and body.get("code") == "unauthenticated"
        assert unauthenticated == secured, f"{method} {path}: {response.status_code} {body}"
        if secured:
            assert operation["security"] == [{"bearer": []}, {"identity": []}]
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            unauth = resolve(spec, operation["responses"]["401"])
            assert "unauthenticated" in unauth[CODES_KEY]
            assert "WWW-Authenticate" in unauth["headers"]


# -- bodies ------------------------------------------------------------------------------------


def pydantic_models() -> list[type[BaseModel]]:
    found = [
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == models.__name__
        and value not in (models.Request, models.Response)
    ]
    assert found
    return found


def string_member(schema: dict[str, Any]) -> dict[str, Any]:
    """The string alternative of `anyOf: [string, null]`, or the schema itself."""
    for member in schema.get("anyOf", []):
        if member.get("type") == "string":
            assert isinstance(member, dict)
            return member
    return schema


@pytest.mark.parametrize("model", pydantic_models(), ids=lambda model: model.__name__)
def test_component_schemas_describe_the_models(
    spec: dict[str, Any], model: type[BaseModel]
) -> None:
    documented = spec["components"]["schemas"].get(model.__name__)
    assert documented is not None, f"no component schema named {model.__name__}"
    assert documented["type"] == "object"
    assert documented["additionalProperties"] is False
    generated = model.model_json_schema()
    assert set(documented.get("properties", {})) == set(generated["properties"])
    assert set(documented.get("required", [])) == set(generated.get("required", []))
    if not issubclass(model, models.Request):
        return
    for name, pydantic_property in generated["properties"].items():
        prop = resolve(spec, documented["properties"][name])
        expected = string_member(pydantic_property)
        if expected.get("format") == "binary":
            check_base64url_field(model, name, prop)
            continue
        for key in ("minLength", "maxLength"):
            assert prop.get(key) == expected.get(key), f"{model.__name__}.{name} {key}"


def check_base64url_field(model: type[BaseModel], name: str, prop: dict[str, Any]) -> None:
    """The documented length is exactly what the validator accepts (all-zero bytes)."""
    length = prop["maxLength"]
    assert prop["minLength"] == length, f"{model.__name__}.{name}: fixed length"
    assert re.fullmatch(prop["pattern"], "A" * length)
    size = length * 3 // 4
    assert math.ceil(size * 4 / 3) == length, f"{model.__name__}.{name}: not a whole byte count"
    field = model.model_fields[name]
    annotation: Any = field.annotation
    probe = create_model("Probe", value=(annotation, field))
    assert probe.model_validate({"value": "A" * length}).model_dump() == {"value": bytes(size)}
    for wrong in (length - 1, length + 1):
        with pytest.raises(ValidationError):
            probe.model_validate({"value": "A" * wrong})


async def test_mfa_secrets_schema_describes_the_sealed_plaintext(spec: dict[str, Any]) -> None:
    documented = spec["components"]["schemas"]["MfaSecrets"]
    secrets_, _ = await new_mfa_secrets("owner", "invite-auth")
    plaintext = dataclasses.asdict(secrets_)
    assert set(documented["properties"]) == set(plaintext) == set(documented["required"])
    props = documented["properties"]
    assert re.search(props["totp_secret"]["pattern"], plaintext["totp_secret"])
    assert re.search(props["otpauth_uri"]["pattern"], plaintext["otpauth_uri"])
    codes = plaintext["recovery_codes"]
    assert props["recovery_codes"]["minItems"] == len(codes) == props["recovery_codes"]["maxItems"]
    assert all(re.search(props["recovery_codes"]["items"]["pattern"], code) for code in codes)
