"""What each provider is asked besides the prompt (style, no text, its safety checker on),
and how each one's documented safety refusal reaches the writer: against local servers."""

from __future__ import annotations

import base64

import httpx
import pytest

from imprompt.images.base import ImageError
from imprompt.images.providers.services import FalProvider, OpenAIProvider, ReplicateProvider, TogetherProvider
from imprompt.images.providers.wording import NEGATIVE, NO_TEXT, STYLES

from .conftest import PNG, Answer

B64 = base64.b64encode(PNG).decode()
OK = {
    "together": Answer(200, {"data": [{"b64_json": B64}]}),
    "replicate": Answer(201, {"id": "p1", "status": "succeeded", "output": ["data:image/png;base64," + B64]}),
    "fal": Answer(200, {"images": [{"url": "data:image/png;base64," + B64}], "has_nsfw_concepts": [False]}),
    "openai": Answer(200, {"data": [{"b64_json": B64}]}),
}
PROVIDERS = {"together": TogetherProvider, "replicate": ReplicateProvider, "fal": FalProvider, "openai": OpenAIProvider}


def path(name: str, model: str) -> str:
    return {"replicate": f"/models/{model}/predictions", "fal": f"/{model}"}.get(name, "/images/generations")


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


async def ask(service, http, name: str, model: str, answer: Answer | None = None, style: str = "watercolor") -> dict:
    service.on("POST", path(name, model), answer or OK[name])
    provider = PROVIDERS[name](http, key="sk-test", base_url=service.base, model=model, price=0.003, timeout=1.0)
    await provider.generate("a cat", seed=7, size=512, style=style)
    body = service.requests[-1]["json"]
    return body["input"] if name == "replicate" else body


@pytest.mark.parametrize("name", ["together", "replicate", "fal", "openai"])
async def test_flux_and_openai_get_the_style_and_no_text_in_words(service, http, name):
    model = "gpt-image-1" if name == "openai" else "black-forest-labs/flux-schnell"
    sent = await ask(service, http, name, model)
    assert sent["prompt"] == f"a cat, {STYLES['watercolor']}. {NO_TEXT}"
    assert "negative_prompt" not in sent  # FLUX and OpenAI take none


@pytest.mark.parametrize("name", ["together", "replicate", "fal"])
async def test_sdxl_type_models_get_a_negative_prompt(service, http, name):
    sent = await ask(service, http, name, "stability-ai/sdxl", style="pixel")
    assert sent["prompt"] == f"a cat, {STYLES['pixel']}"
    assert sent["negative_prompt"] == NEGATIVE and "text" in NEGATIVE


async def test_no_style_adds_no_words(service, http):
    sent = await ask(service, http, "fal", "fal-ai/fast-sdxl", style="none")
    assert sent["prompt"] == "a cat"


@pytest.mark.parametrize(
    "name, field, on",
    [
        ("together", "disable_safety_checker", False),
        ("replicate", "disable_safety_checker", False),
        ("fal", "enable_safety_checker", True),
        ("openai", "moderation", "auto"),
    ],
)
async def test_each_safety_checker_is_asked_for(service, http, name, field, on):
    model = "gpt-image-1" if name == "openai" else "m/x"
    assert (await ask(service, http, name, model))[field] == on


@pytest.mark.parametrize(
    "name, refusal",
    [
        ("together", Answer(422, {"error": {"message": "NSFW content detected in the image"}})),
        ("replicate", Answer(201, {"id": "p9", "status": "failed", "error": "NSFW content detected. Try again."})),
        ("fal", Answer(200, {"images": [{"url": "data:image/png;base64," + B64}], "has_nsfw_concepts": [True]})),
        (
            "openai",
            Answer(
                400,
                {
                    "error": {
                        "code": "content_policy_violation",
                        "message": "Your request was rejected as a result of our safety system.",
                        "type": "invalid_request_error",
                    }
                },
            ),
        ),
    ],
)
async def test_a_safety_refusal_is_a_clear_failure(service, http, name, refusal):
    with pytest.raises(ImageError) as caught:
        await ask(service, http, name, "dall-e-3" if name == "openai" else "m/x", refusal)
    assert caught.value.kind == "blocked" and not caught.value.retryable
    assert caught.value.reason == "The image service's safety filter stopped this picture. Please try another prompt."
