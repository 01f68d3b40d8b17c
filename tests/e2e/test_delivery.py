"""Delivery on a slow phone: the home screen over a throttled network (Chrome DevTools
Protocol, slow-4G-like figures), with and without compression, cold and warm.

The times are printed, not asserted (they depend on the machine); what is asserted is how
the client arrived: brotli when the browser offers it, far fewer bytes than uncompressed,
and a repeat visit that fetches no hashed asset again.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Shots

PHONE = {"width": 390, "height": 844}
# Chrome DevTools' "Slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
    "connectionType": "cellular4g",
}

# Runs before the page's own scripts: notes (performance.now(), since the navigation
# started) when "Create a room" is first on screen and enabled, and when the socket is up.
_WATCH = """
(() => {
  const marks = (window.__delivery = {});
  const look = () => {
    const button = [...document.querySelectorAll('button')].find((b) => /Create a room/.test(b.textContent || ''));
    if (!marks.createUsable && button && !button.disabled && button.getClientRects().length) {
      marks.createUsable = performance.now();
    }
    const state = window.__imprompt;
    if (!marks.online && state && state.connection === 'online') marks.online = performance.now();
    if (!(marks.createUsable && marks.online)) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  new MutationObserver(look).observe(document, { childList: true, subtree: true, attributes: true });
})();
"""


class Visit:
    """One phone (a fresh browser context, its own cache) on a throttled network."""

    def __init__(self, browser: Any, url: str, *, compressed: bool) -> None:
        self.url = url
        headers = {} if compressed else {"Accept-Encoding": "identity"}
        self.context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3, extra_http_headers=headers
        )
        self.page = self.context.new_page()
        self.page.add_init_script(_WATCH)
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        self.wire: dict[str, dict[str, Any]] = {}  # request id -> url, encoding, bytes on the wire, cached
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._from_cache)

    def _response(self, event: dict) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        self.wire.setdefault(event["requestId"], {}).update(
            url=response["url"],
            encoding=headers.get("content-encoding"),
            cache_control=headers.get("cache-control"),
            cached=bool(response.get("fromDiskCache") or response.get("fromPrefetchCache")),
        )

    def _finished(self, event: dict) -> None:
        self.wire.setdefault(event["requestId"], {})["bytes"] = event.get("encodedDataLength", 0)

    def _from_cache(self, event: dict) -> None:
        self.wire.setdefault(event["requestId"], {})["cached"] = True

    def load(self) -> dict[str, Any]:
        """Open the home page; the two times (ms) and what the hashed assets cost on the wire."""
        self.wire.clear()
        self.page.goto(self.url + "/", wait_until="commit")
        self.page.wait_for_function(
            "() => window.__delivery && window.__delivery.createUsable && window.__delivery.online", timeout=60_000
        )
        marks = self.page.evaluate("() => window.__delivery")
        self.page.wait_for_load_state("load")
        assets = [w for w in self.wire.values() if "/assets/" in w.get("url", "")]
        return {
            "create_ms": marks["createUsable"],
            "online_ms": marks["online"],
            "assets": assets,
            # from a cache: flagged so, or nothing came over the wire (Chrome's memory cache)
            "fetched": [a for a in assets if not a.get("cached") and a.get("bytes", 0) > 0],
            "bytes": sum(a.get("bytes", 0) for a in assets if not a.get("cached")),
        }

    def close(self) -> None:
        self.context.close()


def _line(label: str, run: dict[str, Any]) -> str:
    return (
        f"  {label:<40} 'Create a room' usable after {run['create_ms']:6.0f} ms, socket online after "
        f"{run['online_ms']:6.0f} ms; assets over the wire: {run['bytes'] / 1024:6.1f} KB "
        f"in {len(run['fetched'])} request(s)"
    )


def test_home_screen_on_a_slow_phone(browser: Any, server: str, shots: Shots, capsys: pytest.CaptureFixture) -> None:
    plain = Visit(browser, server, compressed=False)
    packed = Visit(browser, server, compressed=True)
    try:
        before = plain.load()
        after = packed.load()
        warm = packed.load()  # the same phone again: its cache already holds the hashed files
        packed.page.screenshot(path=str(shots.folder / "01-throttled-home-phone.png"), full_page=True)
    finally:
        plain.close()
        packed.close()

    with capsys.disabled():
        print("\nhome screen on a 390x844 phone, slow 4G (150 ms, 1.6 Mbit/s down, 750 kbit/s up):")
        print(_line("uncompressed (Accept-Encoding: identity)", before))
        print(_line("compressed, first visit", after))
        print(_line("compressed, repeat visit", warm))

    scripts = [a for a in after["assets"] if a["url"].endswith(".js")]
    assert scripts, "the home page loaded no script from /assets"
    assert all(a["encoding"] == "br" for a in scripts), scripts
    assert all(a["cache_control"] == "public, max-age=31536000, immutable" for a in after["assets"]), after["assets"]
    assert all(a["encoding"] is None for a in before["assets"]), before["assets"]  # the figure "before" is real
    assert after["bytes"] * 2 < before["bytes"], (after["bytes"], before["bytes"])
    assert not warm["fetched"], f"a repeat visit fetched hashed assets again: {warm['fetched']}"
