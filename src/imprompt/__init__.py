"""imprompt: a real-time party game where an image generator draws a prompt and friends guess it."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
