"""Which IP address a request comes from, for rate limits and logs.

`X-Forwarded-For` and `X-Real-IP` are believed only when the direct peer is one of
TRUSTED_PROXIES; from anyone else they are ignored, so a spoofed header can never
give a client a fresh rate-limit bucket. The same rule serves HTTP requests and the
socket.io handshake (both arrive as an ASGI scope).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class ClientIP:
    def __init__(self, trusted: Iterable[str] = ()) -> None:
        self.trusted: list[Network] = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def _is_trusted(self, addr: Address | None) -> bool:
        return addr is not None and any(addr in net for net in self.trusted)

    def resolve(self, peer: str | None, forwarded_for: str | None = None, real_ip: str | None = None) -> str:
        """The client's address: the peer, unless the peer is a trusted proxy that says otherwise."""
        peer = peer or "unknown"
        peer_addr = _parse(peer)
        if not self.trusted or not self._is_trusted(peer_addr):
            return peer
        if forwarded_for:
            hops = [_parse(part.strip()) for part in forwarded_for.split(",")]
            if all(h is not None for h in hops):
                # Walk back from the proxy nearest to us; the first address that is not one
                # of our proxies is the client (anything left of it may be forged).
                for hop in reversed(hops):
                    if not self._is_trusted(hop):
                        return str(hop)
                return str(hops[0])
            return peer  # a malformed chain is not believed at all
        if real_ip:
            addr = _parse(real_ip.strip())
            if addr is not None:
                return str(addr)
        return peer

    def from_scope(self, scope: Mapping) -> str:
        """The client of an ASGI scope (HTTP or websocket), cached in the scope."""
        cached = scope.get("imprompt.client_ip")
        if cached:
            return cached
        client = scope.get("client")
        peer = client[0] if client else None
        forwarded = real = None
        if self.trusted:
            for name, value in scope.get("headers") or ():
                if name == b"x-forwarded-for":  # repeated headers form one list, in order
                    text = value.decode("latin-1")
                    forwarded = text if forwarded is None else f"{forwarded},{text}"
                elif name == b"x-real-ip":
                    real = value.decode("latin-1")
        ip = self.resolve(peer, forwarded, real)
        if isinstance(scope, dict):
            scope["imprompt.client_ip"] = ip
        return ip


def _parse(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
