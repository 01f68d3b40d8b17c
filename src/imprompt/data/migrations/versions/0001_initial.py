"""Analytics (games, turns, daily aggregates) and saved rooms.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "games",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("room", sa.String(8), nullable=False),
        sa.Column("game_no", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("players", sa.Integer(), nullable=True),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("standings", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_games"),
    )
    op.create_index("ix_games_started_at", "games", ["started_at"])
    op.create_index("ix_games_room_game_no", "games", ["room", "game_no"])
    op.create_table(
        "turns",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("game_id", sa.String(32), nullable=False),
        sa.Column("turn_no", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("provider", sa.String(40), nullable=True),
        sa.Column("generation_seconds", sa.Float(), nullable=True),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("guessers", sa.Integer(), nullable=False),
        sa.Column("guesses", sa.Integer(), nullable=False),
        sa.Column("best_similarity", sa.Integer(), nullable=False),
        sa.Column("avg_similarity", sa.Float(), nullable=True),
        sa.Column("solved", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"], name="fk_turns_game_id_games", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_turns"),
    )
    op.create_index("ix_turns_game_id", "turns", ["game_id"])
    op.create_index("ix_turns_ended_at", "turns", ["ended_at"])
    op.create_table(
        "daily_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("games_started", sa.Integer(), nullable=False),
        sa.Column("games_finished", sa.Integer(), nullable=False),
        sa.Column("players", sa.Integer(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("timed_turns", sa.Integer(), nullable=False),
        sa.Column("turn_seconds", sa.Float(), nullable=False),
        sa.Column("guesses", sa.Integer(), nullable=False),
        sa.Column("solved", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_daily_stats"),
    )
    op.create_table(
        "daily_providers",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("generation_seconds", sa.Float(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day", "provider", name="pk_daily_providers"),
    )
    op.create_table(
        "saved_rooms",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.Float(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_saved_rooms"),
    )


def downgrade() -> None:
    op.drop_table("saved_rooms")
    op.drop_table("daily_providers")
    op.drop_table("daily_stats")
    op.drop_index("ix_turns_ended_at", table_name="turns")
    op.drop_index("ix_turns_game_id", table_name="turns")
    op.drop_table("turns")
    op.drop_index("ix_games_room_game_no", table_name="games")
    op.drop_index("ix_games_started_at", table_name="games")
    op.drop_table("games")
