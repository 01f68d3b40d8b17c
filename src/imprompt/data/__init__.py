"""Data: analytics in SQLAlchemy (SQLite by default, PostgreSQL in production) with
Alembic migrations, saved rooms for restarts, and backups."""
