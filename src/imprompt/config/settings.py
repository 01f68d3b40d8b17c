"""The settings of one server: every group, read once from the environment (and `.env`).

    settings = load_settings()          # at start (cli.py), then passed down
    settings.server.port, settings.data.database_url, settings.images.provider_order()

Every variable is documented in .env.example. Invalid values in any group stop the
process at start with one message naming each bad variable (`SettingsError`), instead
of failing later in the middle of a game.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from .alerts import AlertSettings
from .base import Group, problems_of, settings_error
from .content import ContentSettings
from .data import DataSettings
from .images import ImageSettings
from .limits import LimitSettings
from .ops import OpsSettings
from .packs import PackSettings
from .rooms import RoomSettings
from .server import ServerSettings
from .storage import StorageSettings

G = TypeVar("G", bound=Group)

_FROM_DOTENV: Any = object()  # read the `.env` file of the working directory, if there is one


@dataclass(frozen=True)
class Settings:
    server: ServerSettings
    rooms: RoomSettings
    limits: LimitSettings
    content: ContentSettings
    packs: PackSettings
    storage: StorageSettings
    data: DataSettings
    ops: OpsSettings
    alerts: AlertSettings
    images: ImageSettings

    @classmethod
    def groups(cls) -> dict[str, type[Group]]:
        return {f.name: _GROUP_TYPES[f.name] for f in fields(cls)}

    @classmethod
    def variables(cls) -> dict[str, tuple[str, FieldInfo]]:
        """Every environment variable: NAME -> (group, field)."""
        return {
            name.upper(): (group, info)
            for group, kind in cls.groups().items()
            for name, info in kind.model_fields.items()
        }


_GROUP_TYPES: dict[str, type[Group]] = {
    "server": ServerSettings,
    "rooms": RoomSettings,
    "limits": LimitSettings,
    "content": ContentSettings,
    "packs": PackSettings,
    "storage": StorageSettings,
    "data": DataSettings,
    "ops": OpsSettings,
    "alerts": AlertSettings,
    "images": ImageSettings,
}


def _check_unique() -> None:
    seen: dict[str, str] = {}
    for group, kind in _GROUP_TYPES.items():
        for name in kind.model_fields:
            if name in seen:  # a programming error: one variable would set two settings
                raise RuntimeError(f"{name.upper()} is in both {seen[name]} and {group}")
            seen[name] = group


_check_unique()


def _read(kind: type[G], env_file: Any, overrides: dict[str, object], problems: list[str]) -> G | None:
    kwargs = dict(overrides) if env_file is _FROM_DOTENV else {"_env_file": env_file, **overrides}
    try:
        return kind(**kwargs)
    except ValidationError as exc:
        problems += problems_of(exc)
        return None


def load_group(kind: type[G], *, _env_file: Any = _FROM_DOTENV, **overrides: object) -> G:
    """One group alone (for a tool that needs only it), with the same error as load_settings."""
    problems: list[str] = []
    group = _read(kind, _env_file, overrides, problems)
    if group is None:
        raise settings_error(problems)
    return group


def load_settings(*, _env_file: Any = _FROM_DOTENV, **overrides: object) -> Settings:
    """Read every group. `overrides` are by variable name in lower case (`port=5001`,
    `redis_url=...`) and win over the environment; `_env_file=None` ignores `.env`.

    Raises SettingsError listing every bad variable of every group (secrets never shown)."""
    unknown = set(overrides) - {name.lower() for name in Settings.variables()}
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    problems: list[str] = []
    groups: dict[str, Any] = {}
    for name, kind in _GROUP_TYPES.items():
        mine = {key: value for key, value in overrides.items() if key in kind.model_fields}
        groups[name] = _read(kind, _env_file, mine, problems)
    if not problems:
        from ..game.content_filter import ContentFilter

        # every pack checked with the filter the rooms will use (the built-in list and CONTENT_BLOCKLIST)
        problems += groups["packs"].load(ContentFilter(groups["content"].extra_words()))
    if problems:
        raise settings_error(problems)
    server, data = groups["server"], groups["data"]
    if server.app_env == "test" and "database_url" not in data.model_fields_set:
        # APP_ENV=test without a DATABASE_URL: an in-memory database per app, so test servers
        # never share the working directory's data/imprompt.db (nor restore its rooms).
        groups["data"] = data.model_copy(update={"database_url": "sqlite://"})
    return Settings(**groups)
