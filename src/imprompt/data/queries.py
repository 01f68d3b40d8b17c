"""What /api/analytics reports, read from the daily aggregates (which outlive the
retention period): games per day, average players, average turn length, provider
mix, cost per game. The caller adds what is live right now (rooms, players)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .models import daily_providers, daily_stats, games

MAX_DAYS = 366


def _ratio(a: float, b: float, digits: int = 2) -> float | None:
    return round(a / b, digits) if b else None


async def analytics_report(engine: AsyncEngine, *, today: date, days: int = 30) -> dict:
    days = max(1, min(MAX_DAYS, days))
    since = today - timedelta(days=days - 1)
    async with engine.connect() as conn:
        rows = (
            (await conn.execute(select(daily_stats).where(daily_stats.c.day >= since).order_by(daily_stats.c.day)))
            .mappings()
            .all()
        )
        mix = (
            await conn.execute(
                select(
                    daily_providers.c.provider,
                    func.sum(daily_providers.c.turns).label("turns"),
                    func.sum(daily_providers.c.cost_usd).label("cost"),
                    func.sum(daily_providers.c.generation_seconds).label("gen"),
                )
                .where(daily_providers.c.day >= since)
                .group_by(daily_providers.c.provider)
            )
        ).all()
        in_progress = (
            await conn.execute(select(func.count()).select_from(games).where(games.c.outcome == "in_progress"))
        ).scalar() or 0
    per_day = [
        {
            "day": r["day"].isoformat(),
            "gamesStarted": r["games_started"],
            "games": r["games_finished"],
            "turns": r["turns"],
            "avgPlayers": _ratio(r["players"], r["games_finished"]),
            "avgTurnSeconds": _ratio(r["turn_seconds"], r["timed_turns"], 1),
            "costUsd": round(r["cost_usd"], 4),
            "costPerGame": _ratio(r["cost_usd"], r["games_finished"], 4),
            "solvedPerTurn": _ratio(r["solved"], r["turns"]),
        }
        for r in rows
    ]
    total = {
        k: sum(r[k] for r in rows)
        for k in ("games_started", "games_finished", "players", "turns", "timed_turns", "turn_seconds", "cost_usd")
    }
    all_turns = sum(m.turns or 0 for m in mix)
    providers = sorted(
        (
            {
                "provider": m.provider,
                "turns": int(m.turns or 0),
                "share": _ratio(m.turns or 0, all_turns, 3),
                "costUsd": round(float(m.cost or 0.0), 4),
                "avgGenerationSeconds": _ratio(float(m.gen or 0.0), m.turns or 0),
            }
            for m in mix
        ),
        key=lambda p: -p["turns"],
    )
    return {
        "from": since.isoformat(),
        "to": today.isoformat(),
        "days": days,
        "totals": {
            "gamesStarted": total["games_started"],
            "games": total["games_finished"],
            "turns": total["turns"],
            "gamesInProgress": in_progress,
            "gamesPerDay": round(total["games_finished"] / days, 2),
            "avgPlayers": _ratio(total["players"], total["games_finished"]),
            "avgTurnSeconds": _ratio(total["turn_seconds"], total["timed_turns"], 1),
            "costUsd": round(total["cost_usd"], 4),
            "costPerGame": _ratio(total["cost_usd"], total["games_finished"], 4),
        },
        "perDay": per_day,
        "providers": providers,
    }
