from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.invite_list import InviteList
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts/admin/invites",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InviteList | Problem | None:
    if response.status_code == 200:
        response_200 = InviteList.from_dict(response.json())

        return response_200

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
) -> Response[InviteList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[InviteList | Problem]:
    """List the outstanding invite tokens (privileged accounts only)

     The seed-000 invite tokens (`getAccountInvite`) that can still start a
    registration: not used, not revoked, not expired; oldest first. A token held by a
    registration in progress is listed too (that registration may never finish, and
    then the token starts again); revoking it ends that registration. A token issued
    by an administrator who has since been disabled, deleted or made unprivileged
    answers `invite_revoked` at registration start. Never the token itself: its `id` (the token's `jti`)
    is
    what `revokeInvite` takes. Tokens issued by a server version that did not record
    them show `domain`, `account` and `privileged` as `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InviteList | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> InviteList | Problem | None:
    """List the outstanding invite tokens (privileged accounts only)

     The seed-000 invite tokens (`getAccountInvite`) that can still start a
    registration: not used, not revoked, not expired; oldest first. A token held by a
    registration in progress is listed too (that registration may never finish, and
    then the token starts again); revoking it ends that registration. A token issued
    by an administrator who has since been disabled, deleted or made unprivileged
    answers `invite_revoked` at registration start. Never the token itself: its `id` (the token's `jti`)
    is
    what `revokeInvite` takes. Tokens issued by a server version that did not record
    them show `domain`, `account` and `privileged` as `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InviteList | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[InviteList | Problem]:
    """List the outstanding invite tokens (privileged accounts only)

     The seed-000 invite tokens (`getAccountInvite`) that can still start a
    registration: not used, not revoked, not expired; oldest first. A token held by a
    registration in progress is listed too (that registration may never finish, and
    then the token starts again); revoking it ends that registration. A token issued
    by an administrator who has since been disabled, deleted or made unprivileged
    answers `invite_revoked` at registration start. Never the token itself: its `id` (the token's `jti`)
    is
    what `revokeInvite` takes. Tokens issued by a server version that did not record
    them show `domain`, `account` and `privileged` as `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InviteList | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> InviteList | Problem | None:
    """List the outstanding invite tokens (privileged accounts only)

     The seed-000 invite tokens (`getAccountInvite`) that can still start a
    registration: not used, not revoked, not expired; oldest first. A token held by a
    registration in progress is listed too (that registration may never finish, and
    then the token starts again); revoking it ends that registration. A token issued
    by an administrator who has since been disabled, deleted or made unprivileged
    answers `invite_revoked` at registration start. Never the token itself: its `id` (the token's `jti`)
    is
    what `revokeInvite` takes. Tokens issued by a server version that did not record
    them show `domain`, `account` and `privileged` as `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InviteList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
