"""Image jobs: run a GenerateImage effect in the background and report back as a command.

The result is tagged with the turn and attempt it belongs to, so a late image for
an old turn is ignored by the rules. The rules also hold a generation deadline,
so a job that hangs is settled by the scheduler, not by this runner."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from ..game import commands as c
from ..game import effects as fx
from ..game.rules import Rejected
from ..images.base import GeneratedImage, ImageError

log = structlog.get_logger("imprompt.images")

Generate = Callable[[str, int, bool], Awaitable[GeneratedImage]]  # (prompt, seed, builtin)
Save = Callable[[GeneratedImage, str, int], Awaitable[str]]  # (image, prompt, seed) -> url
Report = Callable[[str, c.Command], Awaitable[Any]]  # (room code, ImageReady | ImageFailed): the service's execute


class ImageJobs:
    def __init__(self, generate: Generate, save: Save, *, timeout: float) -> None:
        self.generate = generate
        self.save = save
        self.timeout = timeout
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, code: str, job: fx.GenerateImage, report: Report) -> None:
        task = asyncio.create_task(self._run(code, job, report), name=f"image:{code}:{job.turn}:{job.attempt}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, code: str, job: fx.GenerateImage, report: Report) -> None:
        started = time.perf_counter()
        try:
            image = await asyncio.wait_for(self.generate(job.prompt, job.seed, job.builtin), self.timeout)
            url = await self.save(image, job.prompt, job.seed)
            cmd: c.Command = c.ImageReady(
                turn=job.turn,
                attempt=job.attempt,
                url=url,
                provider=image.provider,
                model=image.model,
                cost_usd=image.cost_usd,
                elapsed=image.elapsed or time.perf_counter() - started,
                game=job.game,
            )
        except TimeoutError:
            cmd = c.ImageFailed(job.turn, job.attempt, "The image took too long to draw.", game=job.game)
        except ImageError as exc:
            cmd = c.ImageFailed(job.turn, job.attempt, exc.reason, game=job.game)
        except Exception:
            log.exception("image_job_crashed", room=code, turn=job.turn)
            cmd = c.ImageFailed(job.turn, job.attempt, "The image generator had a problem.", game=job.game)
        try:
            await report(code, cmd)
        except Rejected as exc:
            log.debug("image_result_ignored", room=code, turn=job.turn, code=exc.code)

    async def drain(self, timeout: float = 5.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
