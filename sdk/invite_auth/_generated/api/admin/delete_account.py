from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/accounts/admin/accounts/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | Problem]:
    """Delete an account or login (privileged accounts only)

     In one transaction: all its sessions end (at once: its tokens no longer
    authenticate), and its recovery codes, its record (OPAQUE record, TOTP secret,
    password hash, sealing key), its name, its domain and its privilege are deleted.
    The invitations it issued can no longer be shown or accepted (`404
    invitation_not_found`). An audit event `account_deleted` keeps its id and name.

    **The name and the domain become free again.** A new account with them still
    needs a new invite token (or invitation), which only a trusted account can give;
    reserving them forever would let one deletion lock a site's domain out for good.
    A privileged account cannot delete itself (`409 cannot_administer_self`).

    Args:
        name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
) -> Any | Problem | None:
    """Delete an account or login (privileged accounts only)

     In one transaction: all its sessions end (at once: its tokens no longer
    authenticate), and its recovery codes, its record (OPAQUE record, TOTP secret,
    password hash, sealing key), its name, its domain and its privilege are deleted.
    The invitations it issued can no longer be shown or accepted (`404
    invitation_not_found`). An audit event `account_deleted` keeps its id and name.

    **The name and the domain become free again.** A new account with them still
    needs a new invite token (or invitation), which only a trusted account can give;
    reserving them forever would let one deletion lock a site's domain out for good.
    A privileged account cannot delete itself (`409 cannot_administer_self`).

    Args:
        name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        name=name,
        client=client,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | Problem]:
    """Delete an account or login (privileged accounts only)

     In one transaction: all its sessions end (at once: its tokens no longer
    authenticate), and its recovery codes, its record (OPAQUE record, TOTP secret,
    password hash, sealing key), its name, its domain and its privilege are deleted.
    The invitations it issued can no longer be shown or accepted (`404
    invitation_not_found`). An audit event `account_deleted` keeps its id and name.

    **The name and the domain become free again.** A new account with them still
    needs a new invite token (or invitation), which only a trusted account can give;
    reserving them forever would let one deletion lock a site's domain out for good.
    A privileged account cannot delete itself (`409 cannot_administer_self`).

    Args:
        name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        name=name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
) -> Any | Problem | None:
    """Delete an account or login (privileged accounts only)

     In one transaction: all its sessions end (at once: its tokens no longer
    authenticate), and its recovery codes, its record (OPAQUE record, TOTP secret,
    password hash, sealing key), its name, its domain and its privilege are deleted.
    The invitations it issued can no longer be shown or accepted (`404
    invitation_not_found`). An audit event `account_deleted` keeps its id and name.

    **The name and the domain become free again.** A new account with them still
    needs a new invite token (or invitation), which only a trusted account can give;
    reserving them forever would let one deletion lock a site's domain out for good.
    A privileged account cannot delete itself (`409 cannot_administer_self`).

    Args:
        name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
        )
    ).parsed
