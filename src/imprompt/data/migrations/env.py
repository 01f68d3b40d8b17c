"""Alembic environment for imprompt's own migrations (shipped inside the package).

imprompt runs these itself (at start, and with `imprompt db upgrade`) on a connection
it passes in `config.attributes["connection"]`. Without one (the plain `alembic`
command with `-x url=...` or sqlalchemy.url set) it opens its own async engine.
"""

from __future__ import annotations

import asyncio

from alembic import context

from imprompt.data.models import metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_own_engine(url: str) -> None:
    from imprompt.data.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: pass -x url=... or set sqlalchemy.url")
    return url


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    _run(config.attributes["connection"])
else:
    asyncio.run(_run_own_engine(_url()))
