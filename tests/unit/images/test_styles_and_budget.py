"""The room's style reaches paid providers only and keys the cache; the daily budget caps
how many pictures of one job are drawn (the free pictogram generator draws them all)."""

from __future__ import annotations

import asyncio

from imprompt.game import effects as fx
from imprompt.images.base import GeneratedImage
from imprompt.images.budget import affordable
from imprompt.images.chain import ImageChain
from imprompt.images.store import MemoryStore
from imprompt.rooms.image_jobs import ImageJobs

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


class Paid:
    def __init__(self, name: str = "together", price: float = 0.01) -> None:
        self.name, self.model, self.price = name, f"{name}-model", price
        self.styles: list[str] = []

    async def generate(self, prompt, *, seed, size=1024, style="none"):
        self.styles.append(style)
        return GeneratedImage(PNG, "image/png", self.name, self.model, cost_usd=self.price)


class Pictogram:
    """Like the built-in generator: its generate takes no style at all."""

    name, model = "pictogram", "builtin"

    async def generate(self, prompt, *, seed, size=1024):
        return GeneratedImage(b"<svg/>", "image/svg+xml", self.name, self.model)


def make_chain(paid: Paid, budget: float | None = None) -> ImageChain:
    return ImageChain([paid, Pictogram()], prices={paid.name: paid.price}, store=MemoryStore(), daily_budget_usd=budget)


async def test_the_style_reaches_the_paid_provider_and_keys_the_cache():
    paid = Paid()
    chain = make_chain(paid)
    await chain.generate("a cat", seed=1, size=64, style="clay")
    await chain.generate("a cat", seed=1, size=64, style="clay")  # cached
    await chain.generate("a cat", seed=1, size=64)  # another style: drawn again
    assert paid.styles == ["clay", "none"]


async def test_the_pictogram_is_never_given_the_style():
    chain = ImageChain([Pictogram()], store=MemoryStore())
    image = await chain.generate("a cat", seed=1, size=64, style="photo")  # a TypeError if it were
    assert image.provider == "pictogram"


def test_the_budget_caps_the_pictures_offered():
    paid = Paid(price=0.01)
    assert affordable(make_chain(paid, budget=None), 4) == 4
    assert affordable(make_chain(paid, budget=0.025), 4) == 2
    spent = make_chain(paid, budget=0.025)
    spent.costbook.counters("together").usd = 0.012
    assert affordable(spent, 4) == 1
    spent.costbook.counters("together").usd = 0.02
    assert affordable(spent, 4) == 4  # the paid provider is skipped: the free pictogram draws all four


async def test_a_job_for_four_draws_what_the_budget_pays_for_and_counts_each():
    paid = Paid(price=0.01)
    chain = make_chain(paid, budget=0.035)
    reports: list = []

    async def generate(prompt, seed, builtin, style="none"):
        image = await chain.generate(prompt, seed=seed, size=64, style=style)
        return GeneratedImage(
            image.data + bytes([seed % 256]), image.media_type, image.provider, image.model, image.cost_usd
        )

    async def save(image, prompt, seed):
        return f"/images/{seed}.png"

    async def report(code, cmd):
        reports.append(cmd)

    jobs = ImageJobs(generate, save, timeout=5, offer=lambda n: affordable(chain, n))
    jobs.start("ROOM", fx.GenerateImage(turn=1, attempt=0, prompt="a cat", seed=5, count=4, style="cartoon"), report)
    await jobs.drain()
    (ready,) = reports
    assert len(ready.others) == 2  # 3 of 4: the budget held 3.5 pictures
    assert chain.costbook.spent_today() == 0.03 and paid.styles == ["cartoon"] * 3
    assert len({ready.url, *(p.url for p in ready.others)}) == 3  # each its own seed
    assert ready.redraw is True


async def test_the_builtin_generator_draws_every_picture_asked_for():
    calls: list[int] = []

    async def generate(prompt, seed, builtin, style="none"):
        calls.append(seed)
        await asyncio.sleep(0)
        return GeneratedImage(f"<svg>{seed}</svg>".encode(), "image/svg+xml", "pictogram", "builtin")

    async def save(image, prompt, seed):
        return f"/images/{seed}.svg"

    reports: list = []

    async def report(code, cmd):
        reports.append(cmd)

    jobs = ImageJobs(generate, save, timeout=5, offer=lambda n: 1)
    jobs.start("R", fx.GenerateImage(turn=1, attempt=2, prompt="a cat", seed=5, builtin=True, count=4), report)
    await jobs.drain()
    assert len(calls) == 4 and len(reports[0].others) == 3
    assert reports[0].redraw is False  # the pictogram's: a new drawing is not offered


async def test_the_same_picture_twice_is_offered_once():
    async def generate(prompt, seed, builtin, style="none"):
        return GeneratedImage(b"<svg/>", "image/svg+xml", "pictogram", "builtin")  # the seed changes nothing

    async def save(image, prompt, seed):
        return f"/images/{seed}.svg"

    reports: list = []

    async def report(code, cmd):
        reports.append(cmd)

    jobs = ImageJobs(generate, save, timeout=5)
    jobs.start("R", fx.GenerateImage(turn=1, attempt=0, prompt="a cat", seed=5, count=3), report)
    await jobs.drain()
    assert reports[0].others == () and reports[0].redraw is False


async def test_a_result_the_store_refused_for_a_moment_is_reported_again(monkeypatch) -> None:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import MaxConnectionsError

    from imprompt.rooms import image_jobs

    monkeypatch.setattr(image_jobs, "REPORT_RETRIES", (0.0, 0.0, 0.0))

    async def generate(prompt, seed, builtin, style="none"):
        return GeneratedImage(b"<svg/>", "image/svg+xml", "pictogram", "builtin")

    async def save(image, prompt, seed):
        return "/images/x.svg"

    attempts: list[str] = []

    async def busy_twice(code, cmd):  # redis-py's pool full, then a dropped connection, then fine
        attempts.append(type(cmd).__name__)
        if len(attempts) == 1:
            raise MaxConnectionsError("Too many connections")
        if len(attempts) == 2:
            raise RedisConnectionError("Connection reset")

    jobs = ImageJobs(generate, save, timeout=5)
    job = fx.GenerateImage(turn=1, attempt=0, prompt="a cat", seed=5, builtin=True)
    jobs.start("R", job, busy_twice)
    await jobs.drain()
    assert attempts == ["ImageReady"] * 3

    tries: list[int] = []

    async def always_down(code, cmd):
        tries.append(1)
        raise RedisConnectionError("down")

    jobs.start("R", job, always_down)
    task = next(iter(jobs._tasks))
    await jobs.drain()
    assert len(tries) == 4 and task.done() and task.exception() is None  # given up, logged, nothing unretrieved
