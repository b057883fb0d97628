"""The parse cache: a text parsed once is read back (memory, then disk) exactly as parsed; damage is re-parsed;
the folder stays under its cap, also with two processes writing at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from newsroundup.annotate import nlp as pipeline
from newsroundup.annotate import parses
from newsroundup.annotate.parses import CacheSettings, DiskCache, MemoryCache

TEXTS = [
    "“We will rebuild,” said Mayor Ana Ferreira on Tuesday.\n\nThe Hollins dam failed at 3 a.m. She said so.",
    "Officials in Carver County didn't say whether the ferries would run. “No comment,” a spokesman said.",
]


@pytest.fixture
def on_disk(tmp_path: Path) -> Iterator[Path]:
    """A cache with a disk level in a temporary folder for the test, the previous one put back after."""
    folder = tmp_path / "parses"
    previous = parses.configure(CacheSettings(folder=folder))
    try:
        yield folder
    finally:
        parses.configure(previous)


@pytest.fixture
def parsed(nlp: object, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text actually parsed (the cache's misses), in order."""
    seen: list[str] = []
    real = pipeline._parse

    def parse(texts: Sequence[str]) -> list[Any]:
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(pipeline, "_parse", parse)
    return seen


def _annotations(doc: Any) -> tuple[object, ...]:
    """Everything of a parse the stages read: tokens, tags, dependencies, entities, sentences, offsets."""
    tokens = [
        (t.idx, t.text, t.whitespace_, t.norm_, t.tag_, t.pos_, t.dep_, t.head.i, str(t.morph), t.ent_iob_, t.ent_type_)
        for t in doc
    ]
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    return doc.text, tokens, ents, sents


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*/*/*{parses.SUFFIX}"))


def test_a_text_parsed_once_is_read_back_from_memory_then_disk_exactly_as_parsed(
    on_disk: Path, parsed: list[str]
) -> None:
    fresh = [_annotations(d) for d in pipeline._parse(TEXTS)]  # no cache: the reference
    parsed.clear()
    first = pipeline.parse_texts(TEXTS)
    assert parsed == TEXTS and len(_entries(on_disk)) == 2  # misses: parsed and written
    assert [_annotations(d) for d in first] == fresh
    from_memory = pipeline.parse_texts(TEXTS[::-1])
    assert parsed == TEXTS  # nothing parsed again
    assert [_annotations(d) for d in from_memory] == fresh[::-1]
    parses.configure(CacheSettings(folder=on_disk))  # as a new process: memory empty, the folder kept
    from_disk = pipeline.parse_texts([*TEXTS, TEXTS[0]])
    assert parsed == TEXTS
    assert [_annotations(d) for d in from_disk] == [*fresh, fresh[0]]
    assert from_disk[0] is not from_disk[2]  # each call gets Docs of its own


def test_a_text_given_twice_is_parsed_once(on_disk: Path, parsed: list[str]) -> None:
    docs = pipeline.parse_texts([TEXTS[1], TEXTS[1]])
    assert parsed == [TEXTS[1]] and docs[0] is not docs[1]
    assert _annotations(docs[0]) == _annotations(docs[1])


def test_parses_of_another_pipeline_are_not_read(
    on_disk: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.parse_texts(TEXTS[:1])
    assert [p.parent.parent.name for p in _entries(on_disk)] == [pipeline.parse_identity()]
    monkeypatch.setattr(pipeline, "parse_identity", lambda: "another-model")  # a new model, spaCy or parse code
    parses.configure(CacheSettings(folder=on_disk))
    pipeline.parse_texts(TEXTS[:1])
    assert parsed == [TEXTS[0], TEXTS[0]] and len(_entries(on_disk)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a parse at all",
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"",
        "other text",  # a whole entry, but of another text
    ],
)
def test_a_damaged_entry_is_parsed_again_and_replaced(on_disk: Path, parsed: list[str], damage: Any) -> None:
    pipeline.parse_texts(TEXTS)
    key = (pipeline.parse_identity(), parses.text_key(TEXTS[0]))
    disk = parses.current().disk
    assert disk is not None
    entry, other = disk.path(key), disk.path((key[0], parses.text_key(TEXTS[1])))
    good = entry.read_bytes()
    entry.write_bytes(other.read_bytes() if damage == "other text" else damage(good))
    parses.configure(CacheSettings(folder=on_disk))  # memory empty: the disk entry is read
    parsed.clear()
    docs = pipeline.parse_texts(TEXTS)
    assert parsed == [TEXTS[0]]
    assert docs[0].text == TEXTS[0] and _annotations(docs[0]) == _annotations(pipeline._parse([TEXTS[0]])[0])
    assert entry.read_bytes() == good


def test_with_no_folder_parses_stay_in_memory(nlp: object, tmp_path: Path, parsed: list[str]) -> None:
    previous = parses.configure(CacheSettings())
    try:
        pipeline.parse_texts(TEXTS)
        pipeline.parse_texts(TEXTS)
        assert parsed == TEXTS and parses.current().disk is None
    finally:
        parses.configure(previous)


def test_a_folder_that_cannot_be_written_only_costs_the_cache(nlp: object, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    previous = parses.configure(CacheSettings(folder=blocked / "parses"))
    try:
        assert [d.text for d in pipeline.parse_texts(TEXTS)] == TEXTS
        disk = parses.current().disk
        assert disk is not None and disk.problem is not None and str(blocked) in disk.problem
    finally:
        parses.configure(previous)


# -- the two levels on their own (no model) -----------------------------------------------------------


def test_memory_keeps_the_recently_used_within_its_bytes() -> None:
    memory = MemoryCache(limit=10)
    memory.put(("m", "a"), b"aaaa")
    memory.put(("m", "b"), b"bbbb")
    assert memory.get(("m", "a")) == b"aaaa"  # now the most recently used
    memory.put(("m", "c"), b"cccc")
    assert memory.get(("m", "b")) is None and memory.get(("m", "a")) == b"aaaa" and memory.size() == 8
    memory.put(("m", "big"), b"x" * 11)  # larger than the whole cache: not kept
    assert memory.get(("m", "big")) is None and memory.size() == 8


def test_disk_evicts_the_entries_used_longest_ago_when_over_its_cap(tmp_path: Path) -> None:
    disk = DiskCache(tmp_path, limit=1000)
    for number in range(9):
        disk.put(("m", f"{number:02d}" * 32), bytes([number]) * 100)
        os.utime(disk.path(("m", f"{number:02d}" * 32)), (number, number))  # written in order, a second apart
    disk.get(("m", "00" * 32))  # the oldest is used: it stays
    assert disk.size() == 900
    disk.put(("m", "09" * 32), b"\x09" * 200)  # 1100 bytes: over the cap
    kept = {p.stem[:2] for p in _entries(tmp_path)}
    assert disk.size() <= 800
    assert {"00", "09"} <= kept and not {"01", "02", "03"} & kept


def test_two_writers_on_one_folder_see_each_others_entries_within_a_twentieth_of_the_cap(tmp_path: Path) -> None:
    first, second = DiskCache(tmp_path, limit=1000), DiskCache(tmp_path, limit=1000)
    numbers = iter(range(100))

    def write(disk: DiskCache, count: int) -> None:
        for _ in range(count):
            disk.put(("m", f"{next(numbers):064x}"), b"x" * 40)
            assert disk.size() < 1000 * (1 + 2 * 0.05)

    write(first, 10)  # 400 bytes
    write(second, 15)  # 1000 bytes: at the cap
    write(first, 12)  # counting only its own writes, the first would think the folder holds 880 bytes
    assert first.size() < 1100 and len(_entries(tmp_path)) < 37


def test_an_entry_larger_than_the_cap_is_not_written(tmp_path: Path) -> None:
    disk = DiskCache(tmp_path, limit=10)
    disk.put(("m", "ab" * 32), b"x" * 11)
    assert _entries(tmp_path) == []


_WRITER = """
import sys
from pathlib import Path
from newsroundup.annotate.parses import DiskCache

folder, who = Path(sys.argv[1]), int(sys.argv[2])
disk = DiskCache(folder, limit=150_000)
order = range(60) if who == 0 else range(59, -1, -1)  # the two cross: each reads what the other writes
for round in range(5):
    for number in order:
        key = ("m", f"{number:064x}")
        data = disk.get(key)
        if data is not None and data != bytes([number]) * (2000 + number * 100):
            sys.exit(f"entry {number} read damaged: {len(data)} bytes")
        disk.put(key, bytes([number]) * (2000 + number * 100))
"""


@pytest.mark.slow
def test_two_processes_writing_and_reading_at_once_see_only_whole_entries_under_the_cap(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(who)], env=env, stderr=subprocess.PIPE)
        for who in range(2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    disk = DiskCache(tmp_path, limit=150_000)
    entries = _entries(tmp_path)
    # 60 entries of 297 KB in all: eviction ran. Each writer counts its own writes between looks at the folder,
    # so the two together may end over the cap by less than a twentieth of it each.
    assert entries and disk.size() < 150_000 * (1 + 2 * 0.05)
    for path in entries:
        number = int(path.stem, 16)
        assert path.read_bytes() == bytes([number]) * (2000 + number * 100)
    assert not list(tmp_path.glob("*/*/.part-*"))  # no temporary file left behind
