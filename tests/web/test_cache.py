"""The response cache: made once per change, the previous response sent while the next one is made."""

from __future__ import annotations

import asyncio

import pytest

from newsroundup.web.cache import Cached, ResponseCache


class Clock:
    """The store's data version, changed by the test."""

    def __init__(self) -> None:
        self.version = 1

    def __call__(self) -> int:
        return self.version


def page(text: str) -> Cached:
    return Cached(text.encode(), "text/plain")


def test_a_burst_after_a_change_gets_the_previous_response_while_one_reader_makes_the_next() -> None:
    async def scenario() -> None:
        store = Clock()
        cache = ResponseCache(store, interval=0.2)
        made: list[str] = []
        release = asyncio.Event()

        async def make_v1() -> Cached:
            made.append("v1")
            return page("v1")

        async def make_v2() -> Cached:
            made.append("v2")
            await release.wait()
            return page("v2")

        assert (await cache.fetch("/s", make_v1)).body == b"v1"
        store.version = 2
        await asyncio.sleep(0.25)  # the next look at the store sees the change
        burst = await asyncio.wait_for(asyncio.gather(*(cache.fetch("/s", make_v2) for _ in range(50))), 5)
        assert {r.body for r in burst} == {b"v1"} and made == ["v1", "v2"]  # made again once, nobody waited
        assert cache.replaced("/s") is not None and cache.get("/s") is None
        release.set()
        await asyncio.sleep(0.01)
        assert (await cache.fetch("/s", make_v2)).body == b"v2" and made == ["v1", "v2"]
        assert cache.replaced("/s") is None  # nothing is being made: nothing stale is sent

    asyncio.run(scenario())


def test_the_previous_response_is_sent_for_at_most_an_interval_after_the_change() -> None:
    async def scenario() -> None:
        store = Clock()
        cache = ResponseCache(store, interval=0.1)
        release = asyncio.Event()

        async def make(text: str) -> Cached:
            if text == "slow":
                await release.wait()
            return page(text)

        await cache.fetch("/s", lambda: make("old"))
        store.version = 2
        await asyncio.sleep(0.15)
        assert (await asyncio.wait_for(cache.fetch("/s", lambda: make("slow")), 5)).body == b"old"
        await asyncio.sleep(0.15)  # the old response is now too old to send: readers wait for the new one
        waiting = asyncio.ensure_future(cache.fetch("/s", lambda: make("other")))
        await asyncio.sleep(0.02)
        assert not waiting.done()
        release.set()
        assert (await waiting).body == b"slow"

    asyncio.run(scenario())


def test_with_no_interval_a_change_shows_at_once() -> None:
    async def scenario() -> None:
        store = Clock()
        cache = ResponseCache(store, interval=0.0)
        await cache.fetch("/s", lambda: asyncio.sleep(0, page("old")))
        store.version = 2
        assert (await cache.fetch("/s", lambda: asyncio.sleep(0.01, page("new")))).body == b"new"

    asyncio.run(scenario())


def test_a_failed_making_reaches_every_waiting_reader_once_and_the_next_reader_tries_again() -> None:
    async def scenario() -> None:
        cache = ResponseCache(Clock(), interval=1.0)
        calls = 0

        async def broken() -> Cached:
            nonlocal calls
            calls += 1
            await asyncio.sleep(0.01)
            raise RuntimeError("the store went away")

        results = await asyncio.gather(*(cache.fetch("/s", broken) for _ in range(5)), return_exceptions=True)
        assert calls == 1 and all(isinstance(r, RuntimeError) for r in results)
        with pytest.raises(RuntimeError):
            await cache.fetch("/s", broken)
        assert calls == 2

    asyncio.run(scenario())


def test_a_response_made_from_data_read_before_a_change_is_not_kept() -> None:
    store = Clock()
    cache = ResponseCache(store, interval=0.0)
    generation = cache.generation
    store.version = 2
    cache.refresh()
    cache.put("/s", page("made before the change"), generation)
    assert cache.get("/s") is None
