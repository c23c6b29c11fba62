"""Sweeping out what has expired, so the store does not grow with abandoned attempts or
an endless audit log; the store's health checks; finishing a rotation of the master
secret."""

from __future__ import annotations

from .context import AuthContext

DAY = 24 * 3600


async def purge_expired(ctx: AuthContext) -> int:
    """Delete expired records, and audit events past their retention; returns the count."""
    settings = ctx.settings
    now = ctx.now()
    removed = await ctx.store.purge_expired(
        now,
        invitation_lifetime=settings.invitation_ttl,
        failure_window=settings.failure_window,
    )
    if settings.audit_retention_days > 0:
        removed += await ctx.store.purge_audit(now - settings.audit_retention_days * DAY)
    if removed:
        await ctx.audit("purge", removed=removed)
    return removed


async def sweep(ctx: AuthContext) -> int:
    """What the server does every `purge_interval`: the backend's health checks (stale
    readers of crashed processes, a data file deleted or replaced underneath), then the
    purge."""
    await ctx.store.backend.check()
    return await purge_expired(ctx)


async def reseal(ctx: AuthContext) -> int:
    """Re-encrypt under the current secret whatever an old one sealed, so that the old
    secret can leave `SECRET_KEY_FALLBACKS`."""
    return await ctx.store.reseal([ctx.event("reseal")])
