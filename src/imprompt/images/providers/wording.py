"""What the paid providers are asked besides the prompt: the room's style, and no text.

The style is added here, after the prompt's word limit was checked, so it costs the
writer no words; the pictogram generator never sees it (the chain passes it to paid
providers only). A picture that spells its prompt gives the answer away, so every
provider is asked for none: as a negative prompt where the model takes one, else in words.
"""

from __future__ import annotations

STYLES: dict[str, str] = {
    "none": "",
    "cartoon": "cartoon illustration, bold outlines, flat colours",
    "watercolor": "watercolor painting, soft washes of colour",
    "pixel": "pixel art, 16-bit video game style",
    "photo": "realistic photograph, natural light",
    "clay": "claymation, plasticine figures, studio lighting",
}

NEGATIVE = "text, letters, words, writing, captions, labels, signs, watermark, logo"
NO_TEXT = "Do not write any text, letters, numbers or words anywhere in the picture."


def styled(prompt: str, style: str) -> str:
    """The prompt with the style's words (an unknown style adds none)."""
    words = STYLES.get(style, "")
    return f"{prompt}, {words}" if words else prompt


def instructed(prompt: str, style: str) -> str:
    """For a model without a negative prompt: the styled prompt, and "no text" in words."""
    return f"{styled(prompt, style)}. {NO_TEXT}"


def takes_negative_prompt(model: str) -> bool:
    """FLUX models (the default ones) have no negative prompt; SDXL-type models do."""
    return "flux" not in model.lower()
