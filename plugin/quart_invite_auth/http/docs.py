"""The plugin's routes as quart-schema sees them, for a host that documents its app with
`QuartSchema(app)`.

Each route is described with quart-schema's own decorators from the very pydantic models
that validate its requests, so the host's `/openapi.json` includes our routes. quart-schema
cannot express a few things our contract (`openapi.yaml`) says, and `adopt_quart_schema`
mends exactly those in the host's document, for our operations only: the operationIds
without quart-schema's method prefix, required query parameters, responses without a body
(204) or of another media type (the YAML contract), and the definitions of the `bearer` and
`identity` security schemes. Everything else in the host's document,
its own routes included, is left as quart-schema made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, Field
from quart import Quart
from quart_schema import (
    document_querystring,
    document_request,
    document_response,
    operation_id,
    security_scheme,
)

F = TypeVar("F", bound=Callable[..., Any])

# The marker our view functions carry: the operationId of openapi.yaml.
OPERATION_ATTRIBUTE = "_invite_auth_operation_id"
_NO_BODY_ATTRIBUTE = "_invite_auth_no_body"
_RAW_ATTRIBUTE = "_invite_auth_raw"
_REQUIRED_QUERY_ATTRIBUTE = "_invite_auth_required_query"
_ADOPTED_ATTRIBUTE = "_invite_auth_adopted"
# A session, as a bearer token or as the identity cookie (either one).
SESSION_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"identity": []}]
_PATH_VARIABLE = re.compile(r"<(?:[^:>]*:)?([^>]+)>")


class NoContent(BaseModel):
    """No body (the status says it all)."""


class InviteQuery(BaseModel):
    """GET /accounts/invite's query. Documentation only: the handler checks each part in
    the seed's order, with the problem codes the contract gives."""

    domain: str = Field(min_length=1, max_length=253)
    account: str = Field(min_length=1, max_length=64)


def documented(
    operation: str,
    *,
    status: int,
    response: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    session: bool = False,
    raw: str | None = None,
) -> Callable[[F], F]:
    """Describe a route for quart-schema: its operationId, body, query, success response
    (a model; none; or `raw` text of that media type) and whether it needs a session.
    Validation stays the plugin's own (strict models, problem+json errors); this only
    documents."""

    def decorate(view: F) -> F:
        view = operation_id(operation)(view)
        if body is not None:
            view = document_request(body)(view)
        if query is not None:
            view = document_querystring(query)(view)
            required = {name for name, field in query.model_fields.items() if field.is_required()}
            setattr(view, _REQUIRED_QUERY_ATTRIBUTE, required)
        view = document_response(response or NoContent, status)(view)
        if session:
            view = security_scheme(SESSION_SECURITY)(view)
        setattr(view, OPERATION_ATTRIBUTE, operation)
        if raw is not None:
            setattr(view, _RAW_ATTRIBUTE, (status, raw))
        elif response is None:
            setattr(view, _NO_BODY_ATTRIBUTE, status)
        return view

    return decorate


def adopt_quart_schema(app: Quart, cookie_name: str) -> None:
    """If the host uses quart-schema, mend its document for our routes (once)."""
    extension = app.extensions.get("QUART_SCHEMA")
    if extension is None:
        return
    provider = extension.openapi_provider
    if getattr(provider, _ADOPTED_ATTRIBUTE, False):
        return
    generate = provider.schema

    def schema() -> dict[str, Any]:
        document: dict[str, Any] = generate()
        _mend(app, document, cookie_name)
        return document

    provider.schema = schema
    setattr(provider, _ADOPTED_ATTRIBUTE, True)


def _mend(app: Quart, document: dict[str, Any], cookie_name: str) -> None:
    paths = document.get("paths", {})
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        operation = getattr(view, OPERATION_ATTRIBUTE, None)
        if operation is None or rule.websocket:
            continue
        path = _PATH_VARIABLE.sub(r"{\1}", rule.rule)
        for method, entry in paths.get(path, {}).items():
            if method.upper() not in (rule.methods or ()):
                continue
            entry["operationId"] = operation
            required: set[str] = getattr(view, _REQUIRED_QUERY_ATTRIBUTE, set())
            for parameter in entry.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") in required:
                    parameter["required"] = True
            responses = entry.get("responses", {})
            no_body = responses.get(getattr(view, _NO_BODY_ATTRIBUTE, None))
            if no_body is not None:
                no_body.pop("content", None)
                no_body["description"] = "No content."
            raw_status, media_type = getattr(view, _RAW_ATTRIBUTE, (None, None))
            if raw_status in responses:
                responses[raw_status]["content"] = {media_type: {"schema": {"type": "string"}}}
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    # A host's own scheme of the same name is the host's business: left as it is.
    schemes.setdefault(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <access_token>`, from `finishLogin`.",
        },
    )
    schemes.setdefault(
        "identity",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": cookie_name,
            "description": "The session cookie set at login.",
        },
    )
