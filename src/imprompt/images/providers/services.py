"""The real image services, each a thin ImageProvider over one shared httpx.AsyncClient.

Request and response shapes follow each service's public API documentation:
- Together: POST {base}/images/generations {model, prompt, negative_prompt, width, height,
  steps, seed, n, response_format, disable_safety_checker} -> {data: [{url} | {b64_json}]}
- Replicate: POST {base}/models/{owner}/{name}/predictions {input: {..., negative_prompt,
  disable_safety_checker}} with `Prefer: wait` -> prediction {id, status, output, error,
  urls.get}; poll urls.get; a safety refusal is a failed prediction whose error says NSFW
- fal: POST {base}/{model} {prompt, negative_prompt, image_size, num_inference_steps, seed,
  enable_safety_checker} with `Authorization: Key ...` -> {images: [{url, content_type}],
  has_nsfw_concepts: [bool]}
- OpenAI: POST {base}/images/generations {model, prompt, n, size, quality, moderation}
  -> {data: [{b64_json}]}; a refusal is a 400 whose error code is content_policy_violation
  (DALL-E) or moderation_blocked (gpt-image)
Every provider's own safety checker is asked for explicitly, on; negative_prompt goes only
to models that take one (not FLUX), the others are told "no text" in the prompt (wording.py).
"""

from __future__ import annotations

import asyncio
import time

import httpx

from imprompt.images.base import GeneratedImage, ImageError
from imprompt.images.providers.http import UNAVAILABLE, UNSAFE, decode_b64, download, request_json
from imprompt.images.providers.wording import NEGATIVE, instructed, styled, takes_negative_prompt


class _Service:
    name = ""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        key: str,
        base_url: str,
        model: str,
        price: float,
        timeout: float = 25.0,
        max_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        self.http = http
        self.key = key
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.price = price
        self.timeout = timeout
        self.max_bytes = max_bytes

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    def _wording(self, prompt: str, style: str) -> dict[str, str]:
        """The prompt and, where the model takes one, the negative prompt that keeps text out."""
        if takes_negative_prompt(self.model):
            return {"prompt": styled(prompt, style), "negative_prompt": NEGATIVE}
        return {"prompt": instructed(prompt, style)}

    def _image(self, data: bytes, media_type: str, started: float, **details) -> GeneratedImage:
        return GeneratedImage(
            data,
            media_type,
            self.name,
            self.model,
            cost_usd=self.price,
            elapsed=time.perf_counter() - started,
            details=details,
        )

    async def _from_item(self, item: object) -> tuple[bytes, str]:
        """An answer item that is a URL, a {url} or a {b64_json}: bytes of a checked image."""
        if isinstance(item, str):
            return await download(self.http, item, timeout=self.timeout, max_bytes=self.max_bytes)
        if isinstance(item, dict):
            if isinstance(item.get("b64_json"), str):
                return decode_b64(item["b64_json"], self.max_bytes)
            if isinstance(item.get("url"), str):
                return await download(self.http, item["url"], timeout=self.timeout, max_bytes=self.max_bytes)
        raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)


class TogetherProvider(_Service):
    name = "together"

    def __init__(self, *args, steps: int = 4, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.steps = steps

    async def generate(self, prompt: str, *, seed: int, size: int = 1024, style: str = "none") -> GeneratedImage:
        started = time.perf_counter()
        body = {
            "model": self.model,
            **self._wording(prompt, style),
            "width": size,
            "height": size,
            "steps": self.steps,
            "seed": seed,
            "n": 1,
            "response_format": "base64",
            "disable_safety_checker": False,
        }
        answer = await request_json(
            self.http,
            "POST",
            f"{self.base_url}/images/generations",
            timeout=self.timeout,
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
        )
        data = answer.get("data")
        if not isinstance(data, list) or not data:
            raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
        return self._image(*await self._from_item(data[0]), started)


class ReplicateProvider(_Service):
    name = "replicate"

    def __init__(self, *args, output_format: str = "webp", poll_interval: float = 1.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.output_format = output_format
        self.poll_interval = poll_interval

    async def generate(self, prompt: str, *, seed: int, size: int = 1024, style: str = "none") -> GeneratedImage:
        started = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        headers = {"Authorization": f"Bearer {self.key}"}
        body = {
            "input": {
                **self._wording(prompt, style),
                "seed": seed,
                "aspect_ratio": "1:1",
                "num_outputs": 1,
                "output_format": self.output_format,
                "disable_safety_checker": False,
            }
        }
        wait = max(1, min(60, int(self.timeout)))
        prediction = await request_json(
            self.http,
            "POST",
            f"{self.base_url}/models/{self.model}/predictions",
            timeout=self.timeout,
            json=body,
            headers={**headers, "Prefer": f"wait={wait}"},
        )
        # The synchronous wait may end before the model does: poll until a final status.
        while prediction.get("status") not in ("succeeded", "failed", "canceled"):
            if time.monotonic() + self.poll_interval >= deadline:
                raise ImageError("The image took too long to draw.", kind="timeout")
            await asyncio.sleep(self.poll_interval)
            url = (prediction.get("urls") or {}).get("get") or f"{self.base_url}/predictions/{prediction.get('id')}"
            if not isinstance(url, str) or not url.startswith(self.base_url):
                raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)  # only poll our own API
            prediction = await request_json(self.http, "GET", url, timeout=self.timeout, headers=headers)
        if prediction["status"] != "succeeded":
            error = str(prediction.get("error") or "")
            if "nsfw" in error.lower() or "safety" in error.lower() or "flagged" in error.lower():
                raise ImageError(UNSAFE, kind="blocked", retryable=False)
            raise ImageError(UNAVAILABLE, kind="failed", retryable=prediction["status"] == "failed")
        output = prediction.get("output")
        item = output[0] if isinstance(output, list) and output else output
        return self._image(*await self._from_item(item), started, prediction=prediction.get("id"))


class FalProvider(_Service):
    name = "fal"

    def __init__(self, *args, steps: int = 4, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.steps = steps

    async def generate(self, prompt: str, *, seed: int, size: int = 1024, style: str = "none") -> GeneratedImage:
        started = time.perf_counter()
        body = {
            **self._wording(prompt, style),
            "image_size": {"width": size, "height": size},
            "num_inference_steps": self.steps,
            "seed": seed,
            "num_images": 1,
            "enable_safety_checker": True,
        }
        answer = await request_json(
            self.http,
            "POST",
            f"{self.base_url}/{self.model}",
            timeout=self.timeout,
            json=body,
            headers={"Authorization": f"Key {self.key}"},
        )
        flags = answer.get("has_nsfw_concepts")
        if isinstance(flags, list) and any(flags):
            raise ImageError(UNSAFE, kind="blocked", retryable=False)
        images = answer.get("images")
        if not isinstance(images, list) or not images:
            raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
        return self._image(*await self._from_item(images[0]), started)


class OpenAIProvider(_Service):
    name = "openai"

    def __init__(self, *args, quality: str = "low", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quality = quality

    async def generate(self, prompt: str, *, seed: int, size: int = 1024, style: str = "none") -> GeneratedImage:
        # The images API takes no seed; (prompt, seed) still keys the cache. Nor a negative prompt.
        started = time.perf_counter()
        body = {
            "model": self.model,
            "prompt": instructed(prompt, style),
            "n": 1,
            "size": f"{size}x{size}",
            "quality": self.quality,
        }
        if self.model.startswith("dall-e"):
            body["response_format"] = "b64_json"
        else:
            body["moderation"] = "auto"  # gpt-image's standard filtering, asked for explicitly
        answer = await request_json(
            self.http,
            "POST",
            f"{self.base_url}/images/generations",
            timeout=self.timeout,
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
        )
        data = answer.get("data")
        if not isinstance(data, list) or not data:
            raise ImageError(UNAVAILABLE, kind="bad_response", retryable=False)
        return self._image(*await self._from_item(data[0]), started)
