"""The tables, as SQLAlchemy Core. Migrations (data/migrations) create them; this
module is what the code and Alembic's autogenerate compare against.

Times are naive UTC datetimes (the same on SQLite and PostgreSQL, so backups move
between them unchanged). No player names or prompt texts are stored unless
ANALYTICS_STORE_PROMPTS is true (`turns.prompt`, names inside `games.standings`).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

games = Table(
    "games",
    metadata,
    Column("id", String(32), primary_key=True),  # uuid4 hex: portable, no sequences to fix on restore
    Column("room", String(8), nullable=False),
    Column("game_no", Integer, nullable=False),  # games played in that room so far
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("outcome", String(16), nullable=False),  # in_progress | finished | abandoned
    Column("rounds", Integer),
    Column("turns", Integer, nullable=False, default=0),
    Column("players", Integer),
    Column("cost_usd", Float, nullable=False, default=0.0),
    Column("standings", JSON),  # [{place, score}] (+ name with ANALYTICS_STORE_PROMPTS)
    Index(None, "started_at"),
    Index(None, "room", "game_no"),
)

turns = Table(
    "turns",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("game_id", String(32), ForeignKey("games.id", ondelete="CASCADE"), nullable=False),
    Column("turn_no", Integer, nullable=False),
    Column("round", Integer, nullable=False),
    Column("ended_at", DateTime, nullable=False),
    Column("seconds", Float),  # prompt written to reveal; null when the rules did not say when it began
    Column("provider", String(40)),
    Column("generation_seconds", Float),
    Column("cost_usd", Float, nullable=False, default=0.0),
    Column("guessers", Integer, nullable=False, default=0),
    Column("guesses", Integer, nullable=False, default=0),
    Column("best_similarity", Integer, nullable=False, default=0),
    Column("avg_similarity", Float),
    Column("solved", Integer, nullable=False, default=0),
    Column("prompt", String(200)),  # only with ANALYTICS_STORE_PROMPTS
    Index(None, "game_id"),
    Index(None, "ended_at"),
)

# Daily aggregates outlive the retention period: counts and sums only, nothing personal.
daily_stats = Table(
    "daily_stats",
    metadata,
    Column("day", Date, primary_key=True),
    Column("games_started", Integer, nullable=False, default=0),
    Column("games_finished", Integer, nullable=False, default=0),
    Column("players", Integer, nullable=False, default=0),  # summed over finished games
    Column("turns", Integer, nullable=False, default=0),
    Column("timed_turns", Integer, nullable=False, default=0),
    Column("turn_seconds", Float, nullable=False, default=0.0),
    Column("guesses", Integer, nullable=False, default=0),
    Column("solved", Integer, nullable=False, default=0),
    Column("cost_usd", Float, nullable=False, default=0.0),
)

daily_providers = Table(
    "daily_providers",
    metadata,
    Column("day", Date, primary_key=True),
    Column("provider", String(40), primary_key=True),
    Column("turns", Integer, nullable=False, default=0),
    Column("generation_seconds", Float, nullable=False, default=0.0),
    Column("cost_usd", Float, nullable=False, default=0.0),
)

# Live rooms saved for a restart (single-instance mode). Not part of analytics backups.
saved_rooms = Table(
    "saved_rooms",
    metadata,
    Column("code", String(8), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("saved_at", Float, nullable=False),  # server clock, seconds since the epoch
    Column("state", Text, nullable=False),  # RoomState JSON
)

# What a backup holds, parents before children.
ANALYTICS_TABLES = (games, turns, daily_stats, daily_providers)
