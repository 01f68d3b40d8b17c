"""Image settings, as the images package reads them.

The class is one group of the server's settings (`settings.images`, defined with every
other group in imprompt/config/images.py); `load_image_settings` reads it alone, for
tools that need nothing else, with the same error as `load_settings`.
"""

from __future__ import annotations

from imprompt.config import load_group
from imprompt.config.images import ALL_PROVIDERS, DEFAULT_PRICES, PAID_PROVIDERS, PRICES_CHECKED, ImageSettings


def load_image_settings(**overrides: object) -> ImageSettings:
    """Read the image settings alone; raises SettingsError naming each bad variable."""
    return load_group(ImageSettings, **overrides)


__all__ = [
    "ALL_PROVIDERS",
    "DEFAULT_PRICES",
    "PAID_PROVIDERS",
    "PRICES_CHECKED",
    "ImageSettings",
    "load_image_settings",
]
