"""Abuse limits: rates (in the `limits` notation, "2/second", "5 per 10 seconds") and size caps.

Per player on the socket (guesses, chat), per socket (events), per client IP (HTTP
/api and /images, new connections, open connections, rooms created), and the largest
HTTP body and socket.io message accepted.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from .base import Group, check_rate


class LimitSettings(Group):
    guess_rate: str = "2/second"
    chat_rate: str = "3 per 5 seconds"
    socket_event_rate: str = "20 per second"
    api_rate_limit: str = "100 per 15 minutes"
    image_rate_limit: str = "1000 per minute"
    connection_rate: str = "60 per minute"
    room_create_rate: str = "30 per hour"
    max_connections_per_ip: int = Field(64, ge=1, le=100_000)
    max_request_body_bytes: int = Field(65536, ge=1024, le=100 * 1024 * 1024)
    max_socket_message_bytes: int = Field(16384, ge=1024, le=10 * 1024 * 1024)

    @field_validator(
        "guess_rate",
        "chat_rate",
        "socket_event_rate",
        "api_rate_limit",
        "image_rate_limit",
        "connection_rate",
        "room_create_rate",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        return check_rate(value)
