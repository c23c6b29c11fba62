from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_page import AccountPage
from ...models.list_accounts_disabled import ListAccountsDisabled
from ...models.list_accounts_kind import ListAccountsKind
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: ListAccountsKind | Unset = UNSET,
    domain: str | Unset = UNSET,
    disabled: ListAccountsDisabled | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["domain"] = domain

    json_disabled: str | Unset = UNSET
    if not isinstance(disabled, Unset):
        json_disabled = disabled.value

    params["disabled"] = json_disabled

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts/admin/accounts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountPage | Problem | None:
    if response.status_code == 200:
        response_200 = AccountPage.from_dict(response.json())

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
) -> Response[AccountPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: ListAccountsKind | Unset = UNSET,
    domain: str | Unset = UNSET,
    disabled: ListAccountsDisabled | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[AccountPage | Problem]:
    """List accounts and logins (privileged accounts only)

     Every account (`opaque`) and login (`password`), ordered by `created_at`, then
    `id`, a page at a time: pass `next_cursor` as `cursor` for the next page, until it
    is `null`. A cursor is a position, not an offset: accounts created or deleted
    between two pages never make another one repeat or go missing. Filters combine.
    No secret is ever shown (no OPAQUE record, TOTP secret, password hash or sealing
    key). A query value out of its documented range is `400 malformed_request`.

    Args:
        kind (ListAccountsKind | Unset):
        domain (str | Unset):
        disabled (ListAccountsDisabled | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountPage | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        domain=domain,
        disabled=disabled,
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
    kind: ListAccountsKind | Unset = UNSET,
    domain: str | Unset = UNSET,
    disabled: ListAccountsDisabled | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> AccountPage | Problem | None:
    """List accounts and logins (privileged accounts only)

     Every account (`opaque`) and login (`password`), ordered by `created_at`, then
    `id`, a page at a time: pass `next_cursor` as `cursor` for the next page, until it
    is `null`. A cursor is a position, not an offset: accounts created or deleted
    between two pages never make another one repeat or go missing. Filters combine.
    No secret is ever shown (no OPAQUE record, TOTP secret, password hash or sealing
    key). A query value out of its documented range is `400 malformed_request`.

    Args:
        kind (ListAccountsKind | Unset):
        domain (str | Unset):
        disabled (ListAccountsDisabled | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountPage | Problem
    """

    return sync_detailed(
        client=client,
        kind=kind,
        domain=domain,
        disabled=disabled,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: ListAccountsKind | Unset = UNSET,
    domain: str | Unset = UNSET,
    disabled: ListAccountsDisabled | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> Response[AccountPage | Problem]:
    """List accounts and logins (privileged accounts only)

     Every account (`opaque`) and login (`password`), ordered by `created_at`, then
    `id`, a page at a time: pass `next_cursor` as `cursor` for the next page, until it
    is `null`. A cursor is a position, not an offset: accounts created or deleted
    between two pages never make another one repeat or go missing. Filters combine.
    No secret is ever shown (no OPAQUE record, TOTP secret, password hash or sealing
    key). A query value out of its documented range is `400 malformed_request`.

    Args:
        kind (ListAccountsKind | Unset):
        domain (str | Unset):
        disabled (ListAccountsDisabled | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountPage | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        domain=domain,
        disabled=disabled,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: ListAccountsKind | Unset = UNSET,
    domain: str | Unset = UNSET,
    disabled: ListAccountsDisabled | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
) -> AccountPage | Problem | None:
    """List accounts and logins (privileged accounts only)

     Every account (`opaque`) and login (`password`), ordered by `created_at`, then
    `id`, a page at a time: pass `next_cursor` as `cursor` for the next page, until it
    is `null`. A cursor is a position, not an offset: accounts created or deleted
    between two pages never make another one repeat or go missing. Filters combine.
    No secret is ever shown (no OPAQUE record, TOTP secret, password hash or sealing
    key). A query value out of its documented range is `400 malformed_request`.

    Args:
        kind (ListAccountsKind | Unset):
        domain (str | Unset):
        disabled (ListAccountsDisabled | Unset):
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            domain=domain,
            disabled=disabled,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
