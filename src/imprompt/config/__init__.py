"""Settings, one small class per concern, read once at start and passed down.

| group (`settings.<name>`) | module | what |
|---|---|---|
| `server` | server.py | listen address, environment, logs, CORS origins, shutdown grace |
| `rooms` | rooms.py | seat holds, room lifetimes, phase timing, room cap |
| `limits` | limits.py | rate limits and size caps (socket, HTTP, per IP) |
| `content` | content.py | extra blocked words |
| `packs` | packs.py | the operator's folder of prompt packs |
| `storage` | storage.py | Redis |
| `data` | data.py | database, analytics, backups, saved rooms |
| `ops` | ops.py | release, trusted proxies, admin and metrics tokens |
| `alerts` | alerts.py | alert webhook and thresholds |
| `images` | images.py | image providers, keys, prices, budget, retries, cache |

Field names are the environment variable names in lower case, without a prefix.
"""

from __future__ import annotations

from .alerts import AlertSettings
from .base import Group, SettingsError
from .content import ContentSettings
from .data import DataSettings
from .images import ImageSettings
from .limits import LimitSettings
from .ops import OpsSettings
from .packs import PackSettings
from .rooms import RoomSettings
from .server import ServerSettings
from .settings import Settings, load_group, load_settings
from .storage import StorageSettings

__all__ = [
    "AlertSettings",
    "ContentSettings",
    "DataSettings",
    "Group",
    "ImageSettings",
    "LimitSettings",
    "OpsSettings",
    "PackSettings",
    "RoomSettings",
    "ServerSettings",
    "Settings",
    "SettingsError",
    "StorageSettings",
    "load_group",
    "load_settings",
]
