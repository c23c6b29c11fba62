from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    account: str | Unset = UNSET,
    event: str | Unset = UNSET,
    since: float | Unset = UNSET,
    until: float | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["account"] = account

    params["event"] = event

    params["since"] = since

    params["until"] = until

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts/admin/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuditPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    account: str | Unset = UNSET,
    event: str | Unset = UNSET,
    since: float | Unset = UNSET,
    until: float | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """Read the audit log (privileged accounts only)

     Audit events, **newest first**, a page at a time: pass `next_cursor` as `cursor`
    for older events, until it is `null`. Filters combine: `account` (events about
    it: its id while it exists, or its name, so a deleted account's history is found
    too), `event` (the type, e.g. `login`, `account_disabled`), `since` (at or after,
    Unix seconds) and `until` (before, Unix seconds). One request reads at most 10 000
    events: with a rare filter over a long log a page can hold fewer events than
    `limit` (even none) and still have a `next_cursor`.

    **Retention.** The server's sweep deletes events older than
    `INVITE_AUTH_AUDIT_RETENTION_DAYS` (365 by default; 0 keeps them forever).

    Args:
        account (str | Unset):
        event (str | Unset):
        since (float | Unset):
        until (float | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        account=account,
        event=event,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    account: str | Unset = UNSET,
    event: str | Unset = UNSET,
    since: float | Unset = UNSET,
    until: float | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """Read the audit log (privileged accounts only)

     Audit events, **newest first**, a page at a time: pass `next_cursor` as `cursor`
    for older events, until it is `null`. Filters combine: `account` (events about
    it: its id while it exists, or its name, so a deleted account's history is found
    too), `event` (the type, e.g. `login`, `account_disabled`), `since` (at or after,
    Unix seconds) and `until` (before, Unix seconds). One request reads at most 10 000
    events: with a rare filter over a long log a page can hold fewer events than
    `limit` (even none) and still have a `next_cursor`.

    **Retention.** The server's sweep deletes events older than
    `INVITE_AUTH_AUDIT_RETENTION_DAYS` (365 by default; 0 keeps them forever).

    Args:
        account (str | Unset):
        event (str | Unset):
        since (float | Unset):
        until (float | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        account=account,
        event=event,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    account: str | Unset = UNSET,
    event: str | Unset = UNSET,
    since: float | Unset = UNSET,
    until: float | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """Read the audit log (privileged accounts only)

     Audit events, **newest first**, a page at a time: pass `next_cursor` as `cursor`
    for older events, until it is `null`. Filters combine: `account` (events about
    it: its id while it exists, or its name, so a deleted account's history is found
    too), `event` (the type, e.g. `login`, `account_disabled`), `since` (at or after,
    Unix seconds) and `until` (before, Unix seconds). One request reads at most 10 000
    events: with a rare filter over a long log a page can hold fewer events than
    `limit` (even none) and still have a `next_cursor`.

    **Retention.** The server's sweep deletes events older than
    `INVITE_AUTH_AUDIT_RETENTION_DAYS` (365 by default; 0 keeps them forever).

    Args:
        account (str | Unset):
        event (str | Unset):
        since (float | Unset):
        until (float | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        account=account,
        event=event,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    account: str | Unset = UNSET,
    event: str | Unset = UNSET,
    since: float | Unset = UNSET,
    until: float | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset = UNSET,
) -> AuditPage | Problem | None:
    """Read the audit log (privileged accounts only)

     Audit events, **newest first**, a page at a time: pass `next_cursor` as `cursor`
    for older events, until it is `null`. Filters combine: `account` (events about
    it: its id while it exists, or its name, so a deleted account's history is found
    too), `event` (the type, e.g. `login`, `account_disabled`), `since` (at or after,
    Unix seconds) and `until` (before, Unix seconds). One request reads at most 10 000
    events: with a rare filter over a long log a page can hold fewer events than
    `limit` (even none) and still have a `next_cursor`.

    **Retention.** The server's sweep deletes events older than
    `INVITE_AUTH_AUDIT_RETENTION_DAYS` (365 by default; 0 keeps them forever).

    Args:
        account (str | Unset):
        event (str | Unset):
        since (float | Unset):
        until (float | Unset):
        limit (int | Unset):  Default: 100.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            account=account,
            event=event,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
