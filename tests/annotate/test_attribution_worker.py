"""annotate/attribution_worker.py: who said what in many articles on two cores gives what one process gives (slow:
both processes parse with spaCy)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from newsroundup.annotate import attribution_worker, nlp
from newsroundup.model import Article

SPEAKERS = ("Ann Lee", "Omar Haddad", "Maria Costa", "Tom Berg")


def _articles(count: int) -> list[Article]:
    """Short invented reports, each with a direct quote and reported speech of a named speaker."""
    out = []
    for n in range(count):
        speaker = SPEAKERS[n % len(SPEAKERS)]
        text = (f'The council met on Monday about bridge {n}. "We will rebuild bridge {n} by spring," '
                f"{speaker} said. {speaker.split()[1]} said the work would cost {n + 2} million dollars.")
        out.append(Article(id=f"a{n}", text=text))
    return out


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen[bytes]]]:
    """The worker processes started during the test (recorded as they start; nothing else changes)."""
    started: list[subprocess.Popen[bytes]] = []
    spawn = attribution_worker._spawn

    def recording() -> subprocess.Popen[bytes] | None:
        process = spawn()
        if process is not None:
            started.append(process)
        return process

    monkeypatch.setattr(attribution_worker, "_spawn", recording)
    previous = nlp.configure(parse_helper=True)
    yield started
    nlp.configure(parse_helper=previous)


def _one_process(articles: list[Article]) -> list[tuple[str, list[object]]]:
    previous = nlp.configure(parse_helper=False)
    try:
        return [(a.id, list(q)) for a, q in attribution_worker.attributions_of(articles)]
    finally:
        nlp.configure(parse_helper=previous)


def test_two_processes_give_the_attributions_of_one_in_the_same_order(
    nlp: object, spawned: list[subprocess.Popen[bytes]]
) -> None:
    articles = _articles(6 * attribution_worker.BATCH + 3)
    shared = [(a.id, list(q)) for a, q in attribution_worker.attributions_of(articles)]
    assert len(spawned) == 1 and spawned[0].poll() is not None  # a worker took part and was stopped
    alone = _one_process(articles)
    assert shared == alone
    assert [id for id, _ in shared] == [a.id for a in articles]
    speakers = {q.speaker for _, quotes in shared for q in quotes}  # type: ignore[attr-defined]
    assert set(SPEAKERS) <= speakers and {q.kind for _, quotes in shared for q in quotes} == {  # type: ignore[attr-defined]
        "direct", "reported"}


def test_a_worker_that_dies_leaves_its_batches_to_this_process(
    nlp: object, spawned: list[subprocess.Popen[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _articles(5 * attribution_worker.BATCH)
    start = attribution_worker.AttributionWorker.start

    def dying(*args: object) -> attribution_worker.AttributionWorker | None:
        worker = start(*args)  # type: ignore[arg-type]
        spawned[-1].kill()  # gone before it answers anything
        return worker

    monkeypatch.setattr(attribution_worker.AttributionWorker, "start", dying)
    shared = [(a.id, list(q)) for a, q in attribution_worker.attributions_of(articles)]
    assert len(spawned) == 1
    assert shared == _one_process(articles)


def test_a_few_articles_are_done_in_this_process_and_a_warm_worker_is_stopped(
    nlp: object, spawned: list[subprocess.Popen[bytes]]
) -> None:
    attribution_worker.warm_up()
    assert len(spawned) == 1
    found = list(attribution_worker.attributions_of(_articles(3)))
    assert [a.id for a, _ in found] == ["a0", "a1", "a2"] and all(quotes for _, quotes in found)
    assert spawned[0].poll() is not None and attribution_worker._take_warm() is None
