"""The contract, served: the exact `openapi.yaml` that ships inside the wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from quart import Blueprint, Response
from quart_schema import tag

from .docs import documented

SPEC_MEDIA_TYPE = "application/yaml"


def spec_bytes() -> bytes:
    """The shipped document; in a source checkout (an editable install), the repository's."""
    shipped = resources.files("quart_invite_auth").joinpath("openapi.yaml")
    if shipped.is_file():
        return shipped.read_bytes()
    checkout = Path(__file__).resolve().parents[3] / "openapi.yaml"
    return checkout.read_bytes()


def create_blueprint(path: str) -> Blueprint:
    bp = Blueprint("invite_auth_spec", __name__)
    document = spec_bytes()

    @bp.get(path)
    @tag(["contract"])
    @documented("getOpenApiDocument", status=200, raw=SPEC_MEDIA_TYPE)
    async def openapi_document() -> Response:
        return Response(
            document,
            mimetype=SPEC_MEDIA_TYPE,
            headers={"Cache-Control": "no-cache"},
        )

    return bp
