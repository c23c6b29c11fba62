"""The example host app, unchanged, plus the framework floor on the same server.

`GET|POST /bench/bare/<n>` does no work and answers a JSON body of exactly n bytes (a POST
reads its body first, as any route must); `GET /bench/store-stats` reports the store's
counters. Served by bench/server.py as `bench.app:app`."""

from __future__ import annotations

from functools import cache
from typing import Any

from quart import Response, request

from examples.app import app


@cache
def _body(n: int) -> bytes:
    head, tail = b'{"pad":"', b'"}'
    return head + b"x" * max(0, n - len(head) - len(tail)) + tail


@app.route("/bench/bare/<int:n>", methods=["GET", "POST"])
async def bare(n: int) -> Response:
    if request.method == "POST":
        await request.get_data()
    return Response(_body(n), mimetype="application/json")


__all__ = ["app"]


@app.get("/bench/store-stats")
async def store_stats() -> dict[str, Any]:
    """This worker's store counters (PostgreSQL: steps, retries, reconnects)."""
    backend = app.extensions["invite_auth"].context.store.backend
    return dict(getattr(backend, "stats", {}))
