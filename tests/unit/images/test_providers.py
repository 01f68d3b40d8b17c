"""Each real provider against a local server speaking its documented shapes."""

from __future__ import annotations

import base64

import httpx
import pytest

from imprompt.images.base import ImageError
from imprompt.images.providers.services import FalProvider, OpenAIProvider, ReplicateProvider, TogetherProvider

from .conftest import JPEG, PNG, WEBP, Answer

B64 = base64.b64encode(PNG).decode()


@pytest.fixture
async def http():
    async with httpx.AsyncClient() as client:
        yield client


def make(cls, service, http, **kw):
    return cls(
        http,
        key="sk-test",
        base_url=service.base,
        model=kw.pop("model", "m/x"),
        price=0.003,
        timeout=kw.pop("timeout", 0.5),
        max_bytes=kw.pop("max_bytes", 1024),
        **kw,
    )


# -- Together ----------------------------------------------------------------------------


async def test_together_base64_answer(service, http):
    service.on("POST", "/images/generations", Answer(200, {"data": [{"index": 0, "b64_json": B64}]}))
    image = await make(TogetherProvider, service, http, model="black-forest-labs/FLUX.1-schnell").generate(
        "a cat", seed=7, size=1024
    )
    assert (image.data, image.media_type, image.provider, image.cost_usd) == (PNG, "image/png", "together", 0.003)
    sent = service.requests[0]
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert sent["json"]["model"] == "black-forest-labs/FLUX.1-schnell"
    assert sent["json"]["prompt"].startswith("a cat") and sent["json"]["seed"] == 7 and sent["json"]["width"] == 1024


async def test_together_url_answer_is_downloaded(service, http):
    service.on("POST", "/images/generations", Answer(200, {"data": [{"url": f"{service.base}/files/1.jpg"}]}))
    service.on("GET", "/files/1.jpg", Answer(200, JPEG, {"Content-Type": "image/jpeg"}))
    image = await make(TogetherProvider, service, http).generate("a cat", seed=1)
    assert image.media_type == "image/jpeg" and image.data == JPEG


@pytest.mark.parametrize(
    "answer, kind",
    [
        (Answer(401, {"error": {"message": "Invalid API key"}}), "auth"),
        (Answer(429, {"error": "slow down"}, {"Retry-After": "3"}), "rate_limited"),
        (Answer(500, {"error": "boom"}), "server_error"),
        (Answer(200, b"{not json", {"Content-Type": "application/json"}), "bad_response"),
        (Answer(200, {"data": []}), "bad_response"),
        (Answer(200, {"data": [{"b64_json": base64.b64encode(b"<html>hi</html>").decode()}]}), "not_image"),
        (Answer(200, {"data": [{"b64_json": base64.b64encode(PNG * 40).decode()}]}), "too_large"),
        (Answer(422, {"error": {"message": "NSFW content detected"}}), "blocked"),
        (Answer(200, {"data": []}, delay=1.5), "timeout"),
    ],
)
async def test_together_failures(service, http, answer, kind):
    service.on("POST", "/images/generations", answer)
    with pytest.raises(ImageError) as caught:
        await make(TogetherProvider, service, http).generate("a cat", seed=1)
    assert caught.value.kind == kind
    if kind == "rate_limited":
        assert caught.value.retry_after == 3.0 and caught.value.retryable
    if kind == "blocked":
        assert "safety filter" in caught.value.reason and "try another prompt" in caught.value.reason
    assert "sk-test" not in caught.value.reason


@pytest.mark.parametrize(
    "download, kind",
    [
        (Answer(404, b"gone"), "download_failed"),
        (Answer(200, b"<svg onload='x()'/>", {"Content-Type": "image/png"}), "not_image"),
        (Answer(200, PNG * 40, {"Content-Type": "image/png"}), "too_large"),
    ],
)
async def test_result_url_problems(service, http, download, kind):
    service.on("POST", "/images/generations", Answer(200, {"data": [{"url": f"{service.base}/files/x.png"}]}))
    service.on("GET", "/files/x.png", download)
    with pytest.raises(ImageError) as caught:
        await make(TogetherProvider, service, http).generate("a cat", seed=1)
    assert caught.value.kind == kind


# -- Replicate ---------------------------------------------------------------------------


async def test_replicate_sync_wait(service, http):
    service.on(
        "POST",
        "/models/black-forest-labs/flux-schnell/predictions",
        Answer(201, {"id": "p1", "status": "succeeded", "output": [f"{service.base}/out/p1.webp"]}),
    )
    service.on("GET", "/out/p1.webp", Answer(200, WEBP))
    provider = make(ReplicateProvider, service, http, model="black-forest-labs/flux-schnell")
    image = await provider.generate("a dog", seed=3)
    assert image.media_type == "image/webp" and image.provider == "replicate"
    sent = service.requests[0]
    assert sent["headers"]["Prefer"].startswith("wait")
    assert sent["json"]["input"]["prompt"].startswith("a dog") and sent["json"]["input"]["seed"] == 3


async def test_replicate_falls_back_to_polling(service, http):
    get_url = f"{service.base}/predictions/p2"
    service.on(
        "POST", "/models/m/x/predictions", Answer(201, {"id": "p2", "status": "processing", "urls": {"get": get_url}})
    )
    service.on(
        "GET",
        "/predictions/p2",
        Answer(200, {"id": "p2", "status": "processing", "urls": {"get": get_url}}),
        Answer(200, {"id": "p2", "status": "succeeded", "output": f"{service.base}/out/p2.png"}),
    )
    service.on("GET", "/out/p2.png", Answer(200, PNG))
    image = await make(ReplicateProvider, service, http, poll_interval=0.01, timeout=2).generate("a dog", seed=3)
    assert image.data == PNG
    assert [r["path"] for r in service.requests].count("/predictions/p2") == 2


async def test_replicate_poll_times_out(service, http):
    get_url = f"{service.base}/predictions/p3"
    service.on(
        "POST", "/models/m/x/predictions", Answer(201, {"id": "p3", "status": "starting", "urls": {"get": get_url}})
    )
    service.on("GET", "/predictions/p3", Answer(200, {"id": "p3", "status": "processing", "urls": {"get": get_url}}))
    with pytest.raises(ImageError) as caught:
        await make(ReplicateProvider, service, http, poll_interval=0.05, timeout=0.3).generate("a dog", seed=3)
    assert caught.value.kind == "timeout"


async def test_replicate_failed_and_flagged(service, http):
    service.on(
        "POST",
        "/models/m/x/predictions",
        Answer(201, {"id": "p4", "status": "failed", "error": "NSFW content detected"}),
    )
    with pytest.raises(ImageError) as caught:
        await make(ReplicateProvider, service, http).generate("a dog", seed=3)
    assert caught.value.kind == "blocked"


async def test_replicate_will_not_poll_elsewhere(service, http):
    service.on(
        "POST",
        "/models/m/x/predictions",
        Answer(201, {"id": "p5", "status": "processing", "urls": {"get": "http://169.254.169.254/latest"}}),
    )
    with pytest.raises(ImageError) as caught:
        await make(ReplicateProvider, service, http, poll_interval=0.01).generate("a dog", seed=3)
    assert caught.value.kind == "bad_response"


# -- fal ---------------------------------------------------------------------------------


async def test_fal_sync_endpoint(service, http):
    service.on(
        "POST",
        "/fal-ai/flux/schnell",
        Answer(
            200,
            {
                "images": [
                    {"url": f"{service.base}/f/1.jpg", "width": 1024, "height": 1024, "content_type": "image/jpeg"}
                ],
                "seed": 5,
                "has_nsfw_concepts": [False],
                "prompt": "a fox",
            },
        ),
    )
    service.on("GET", "/f/1.jpg", Answer(200, JPEG))
    image = await make(FalProvider, service, http, model="fal-ai/flux/schnell").generate("a fox", seed=5)
    assert image.media_type == "image/jpeg"
    sent = service.requests[0]
    assert sent["headers"]["Authorization"] == "Key sk-test"
    assert sent["json"]["enable_safety_checker"] is True and sent["json"]["seed"] == 5


async def test_fal_data_uri_and_nsfw(service, http):
    service.on(
        "POST", "/m/x", Answer(200, {"images": [{"url": "data:image/png;base64," + B64}], "has_nsfw_concepts": [False]})
    )
    assert (await make(FalProvider, service, http).generate("a fox", seed=5)).data == PNG
    service.on(
        "POST", "/m/x", Answer(200, {"images": [{"url": "data:image/png;base64," + B64}], "has_nsfw_concepts": [True]})
    )
    with pytest.raises(ImageError) as caught:
        await make(FalProvider, service, http).generate("a fox", seed=5)
    assert caught.value.kind == "blocked"


# -- OpenAI ------------------------------------------------------------------------------


async def test_openai_b64(service, http):
    service.on("POST", "/images/generations", Answer(200, {"created": 1, "data": [{"b64_json": B64}]}))
    image = await make(OpenAIProvider, service, http, model="gpt-image-1").generate("an owl", seed=5)
    assert image.data == PNG and image.provider == "openai"
    assert service.requests[0]["json"]["size"] == "1024x1024"


async def test_openai_moderation_blocked(service, http):
    service.on(
        "POST",
        "/images/generations",
        Answer(
            400,
            {
                "error": {
                    "message": "Your request was rejected by the safety system.",
                    "type": "image_generation_user_error",
                    "code": "moderation_blocked",
                }
            },
        ),
    )
    with pytest.raises(ImageError) as caught:
        await make(OpenAIProvider, service, http).generate("an owl", seed=5)
    assert caught.value.kind == "blocked" and not caught.value.retryable


def test_repr_hides_key(service):
    provider = TogetherProvider(httpx.AsyncClient(), key="sk-very-secret", base_url=service.base, model="m", price=0)
    assert "sk-very-secret" not in repr(provider)
