"""Image jobs: run a GenerateImage effect in the background and report back as a command.

The result is tagged with the turn and attempt it belongs to, so a late image for
an old turn is ignored by the rules. The rules also hold a generation deadline,
so a job that hangs is settled by the scheduler, not by this runner."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..game import commands as c
from ..game import effects as fx
from ..game.rules import Rejected
from ..images.base import GeneratedImage, ImageError

log = structlog.get_logger("imprompt.images")

Generate = Callable[..., Awaitable[GeneratedImage]]  # (prompt, seed, builtin, style=...)
Save = Callable[[GeneratedImage, str, int], Awaitable[str]]  # (image, prompt, seed) -> url
Report = Callable[[str, c.Command], Awaitable[Any]]  # (room code, ImageReady | ImageFailed): the service's execute
Offer = Callable[[int], int]  # pictures wanted -> how many the daily budget pays for (at least 1)

# Reporting the result runs a command on the store; with Redis a busy moment (the client
# pool full, a timeout) refused it and the picture was lost: the turn waited for the
# generation deadline and counted a failed image (bench/README.md, load on Redis).
REPORT_RETRIES = (0.1, 0.3, 1.0, 2.0)  # seconds before each further try


class ImageJobs:
    def __init__(
        self,
        generate: Generate,
        save: Save,
        *,
        timeout: float,
        offer: Offer | None = None,
        fixed: frozenset[str] = frozenset({"pictogram"}),
    ) -> None:
        self.generate = generate
        self.save = save
        self.timeout = timeout
        self.offer = offer or (lambda wanted: wanted)
        self.fixed = fixed  # generators that draw a prompt the same way whatever the seed
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, code: str, job: fx.GenerateImage, report: Report) -> None:
        task = asyncio.create_task(self._run(code, job, report), name=f"image:{code}:{job.turn}:{job.attempt}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _count(self, job: fx.GenerateImage) -> int:
        """Pictures to draw: the built-in generator's are free; paid ones stop at the budget."""
        if job.count <= 1:
            return 1
        return job.count if job.builtin else max(1, min(job.count, self.offer(job.count)))

    async def _run(self, code: str, job: fx.GenerateImage, report: Report) -> None:
        started = time.perf_counter()
        try:
            first, *others = await asyncio.wait_for(self._draw(job, self._count(job), started), self.timeout)
            cmd: c.Command = c.ImageReady(
                turn=job.turn,
                attempt=job.attempt,
                url=first.url,
                provider=first.provider,
                model=first.model,
                cost_usd=first.cost_usd,
                elapsed=first.elapsed,
                game=job.game,
                others=tuple(others),
                redraw=any(p.provider not in self.fixed for p in (first, *others)),
            )
        except TimeoutError:
            cmd = c.ImageFailed(job.turn, job.attempt, "The image took too long to draw.", game=job.game)
        except ImageError as exc:
            cmd = c.ImageFailed(job.turn, job.attempt, exc.reason, game=job.game)
        except Exception:
            log.exception("image_job_crashed", room=code, turn=job.turn)
            cmd = c.ImageFailed(job.turn, job.attempt, "The image generator had a problem.", game=job.game)
        await self._report(code, job, cmd, report)

    async def _report(self, code: str, job: fx.GenerateImage, cmd: c.Command, report: Report) -> None:
        for wait in (*REPORT_RETRIES, None):
            try:
                await report(code, cmd)
                return
            except Rejected as exc:
                log.debug("image_result_ignored", room=code, turn=job.turn, code=exc.code)
                return
            except (RedisConnectionError, RedisTimeoutError) as exc:
                if wait is None:  # the generation deadline settles the turn
                    log.warning("image_result_lost", room=code, turn=job.turn, error=type(exc).__name__)
                    return
                await asyncio.sleep(wait)

    async def _draw(self, job: fx.GenerateImage, count: int, started: float) -> list[c.Picture]:
        """`count` pictures at once, each with its own seed; the ones drawn, or the first failure."""
        seeds = [(job.seed + 7919 * i) % (2**31) for i in range(count)]
        results = await asyncio.gather(*(self._one(job, seed, started) for seed in seeds), return_exceptions=True)
        drawn: dict[bytes, c.Picture] = {}  # the same picture twice is no choice
        for result in results:
            if isinstance(result, tuple):
                drawn.setdefault(*result)
        if drawn:
            return list(drawn.values())
        raise next(r for r in results if isinstance(r, BaseException))

    async def _one(self, job: fx.GenerateImage, seed: int, started: float) -> tuple[bytes, c.Picture]:
        image = await self.generate(job.prompt, seed, job.builtin, style=job.style)
        url = await self.save(image, job.prompt, seed)
        elapsed = image.elapsed or time.perf_counter() - started
        return hashlib.sha256(image.data).digest(), c.Picture(url, image.provider, image.model, image.cost_usd, elapsed)

    async def drain(self, timeout: float = 5.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
