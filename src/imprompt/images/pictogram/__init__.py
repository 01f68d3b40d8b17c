"""Built-in offline generator: scenes composed from OpenMoji pictograms (CC BY-SA 4.0)."""

from imprompt.images.pictogram.provider import Drawing, PictogramProvider

ATTRIBUTION = (
    "Pictograms by OpenMoji (https://openmoji.org), the open-source emoji and icon project. License: CC BY-SA 4.0"
)

__all__ = ["ATTRIBUTION", "Drawing", "PictogramProvider"]
