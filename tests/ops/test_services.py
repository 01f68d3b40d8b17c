"""The composition root: every object built once and handed what it needs (no store wrappers,
nothing patched in later), the HTTP edge as a list, and the import directions kept."""

from __future__ import annotations

import subprocess
import sys

from imprompt.rooms.store import MemoryStore
from imprompt.services import build_services
from imprompt.web.app import App, create_app
from imprompt.web.image_backend import MemoryImageBackend
from imprompt.web.middleware import BodyLimit, HttpRateLimit, RequestContext, SecurityHeaders, edge
from tests.support.images import FakeImages
from tests.support.server import settings_for


def _services(overrides: dict | None = None):
    return build_services(settings_for(overrides), images=MemoryImageBackend(FakeImages()), score=lambda a, b: 0)


def test_every_object_gets_what_it_needs_when_it_is_built() -> None:
    s = _services()
    assert type(s.store) is MemoryStore, "the room store is not wrapped"
    rooms = s.rooms
    assert rooms.store is s.store and rooms.schedule is s.schedule
    assert rooms.emitter is s.emitter and rooms.images is s.image_jobs
    assert s.data.saver is not None
    assert rooms.observers == [s.ops.rooms, s.data.saver.changes]
    assert s.data.analytics is not None and rooms.summaries == [s.data.analytics.on_effect]
    assert s.realtime.service is rooms and s.realtime.sio is s.sio
    assert s.lifecycle.grace == s.settings.server.shutdown_grace_seconds


def test_with_redis_the_rooms_are_snapshotted_and_the_seats_leased() -> None:
    s = _services({"redis_url": "redis://127.0.0.1:6379/12"})  # a client is made, nothing is connected yet
    saver = s.data.saver
    assert saver is not None and saver.shared, "the snapshots bring rooms back if Redis loses them"
    assert s.rooms.observers == [s.ops.rooms, saver.changes]
    assert saver.on_summary in s.rooms.summaries  # a scored turn is saved at once
    assert s.presence is not None and s.realtime.seats.presence is s.presence
    assert [d.name for d in s.ops.health.dependencies if d.required] == ["redis", "fanout"]


def test_the_app_carries_its_services() -> None:
    app = create_app(settings_for(), images=MemoryImageBackend(FakeImages()), score=lambda a, b: 0)
    assert isinstance(app, App) and app.services.rooms.accepting


def test_the_http_edge_is_one_middleware_per_concern_outermost_first() -> None:
    s = _services()
    assert [m.cls for m in edge(s.settings, s.ops)] == [SecurityHeaders, RequestContext, HttpRateLimit, BodyLimit]


def test_settings_import_no_data_layer_and_images_no_web() -> None:
    code = (
        "import sys, imprompt.config, imprompt.images.backend, imprompt.images.settings; "
        "imprompt.config.load_settings(_env_file=None, database_url='sqlite://'); "
        "bad = sorted(m for m in sys.modules if m.startswith(('imprompt.data', 'imprompt.web'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
