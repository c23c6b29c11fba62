"""Sweeping out what has expired, so the store does not grow with abandoned attempts;
finishing a rotation of the master secret."""

from __future__ import annotations

from .context import AuthContext


async def purge_expired(ctx: AuthContext) -> int:
    settings = ctx.settings
    removed = await ctx.store.purge_expired(
        ctx.now(),
        invitation_lifetime=settings.invitation_ttl,
        failure_window=settings.failure_window,
    )
    if removed:
        await ctx.audit("purge", removed=removed)
    return removed


async def reseal(ctx: AuthContext) -> int:
    """Re-encrypt under the current secret whatever an old one sealed, so that the old
    secret can leave `SECRET_KEY_FALLBACKS`."""
    return await ctx.store.reseal([ctx.event("reseal")])
