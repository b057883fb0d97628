"""The story index's saved state: a versioned JSON-ready format, written and read back exactly."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from newsroundup.errors import InputError
from newsroundup.grouping.active import ActiveSet
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.story import StoryState
from newsroundup.grouping.vectors import DIMENSIONS
from newsroundup.text.dates import parse_iso_datetime

STATE_FORMAT = 3  # 2: centroid sums saved as float32; 3: content words (format 2 is read without them)


def index_to_dict(index: StoryIndex) -> dict[str, Any]:
    """The whole state of ``index`` as JSON-ready data; :func:`index_from_dict` restores it exactly."""
    return {**_shared(index), "stories": [story_to_dict(s) for s in index.states.values()]}


def index_changes(index: StoryIndex) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[str]]:
    """What saving ``index`` must write since it was read: the state shared by all stories (without
    ``stories``), the stories that changed or are new (by id), and the ids of stories gone (merged).

    The stored state is the shared part plus one row per story, so a save after a few new articles
    writes a few stories, not the whole index; :func:`index_from_dict` reads the parts put together.
    """
    marks = index.saved_marks
    changed = {s.id: story_to_dict(s) for s in index.states.values() if marks.get(s.id) != _mark(s)}
    gone = [id for id in marks if id not in index.states]
    return _shared(index), changed, gone


def _shared(index: StoryIndex) -> dict[str, Any]:
    """The part of the state that is not one story's."""
    active, counts = index.active, index.counts
    return {
        "format": STATE_FORMAT,
        "options": index.options.record(),
        "documents": counts.documents,
        "next_seq": index.next_seq,
        "newest": _iso(index.newest),
        "capacity": len(active.slot_story),
        "free": list(active.free),
        "touched": {str(i): int(t) for i, t in enumerate(active.slot_touched) if t},
        "df": dict(counts.terms),
        "word_df": dict(counts.words),
        "number_df": dict(counts.numbers),
        "merged_into": dict(index.merged_into),
        "retired_order": list(active.retired_order),
    }


def story_to_dict(s: StoryState) -> dict[str, Any]:
    """One story's saved state."""
    return {
        "id": s.id,
        "seq": s.seq,
        "articles": list(s.article_ids),
        "total": base64.b64encode(s.total.astype("<f4").tobytes()).decode("ascii"),
        "terms": dict(s.terms),
        "words": dict(s.words),
        "numbers": dict(s.numbers),
        "outlets": dict(s.outlets),
        "first_seen": _iso(s.first_seen),
        "last_seen": _iso(s.last_seen),
        "slot": s.slot,
    }


def _mark(state: StoryState) -> tuple[int, int | None, int]:
    """What moves whenever a story's saved state changes: its articles (an article added or a story
    absorbed, which is also when its profile and dates change), its active-set row, and whether its
    matching profile was archived."""
    return len(state.article_ids), state.slot, state.total.size


def index_from_dict(data: Mapping[str, Any]) -> StoryIndex:
    """Rebuild an index saved with :func:`index_to_dict`; a state this version cannot read is an input error."""
    try:
        if data.get("format") not in {2, STATE_FORMAT}:
            raise InputError(
                f"saved story state has format {data.get('format')!r}, this version reads formats 2 "
                f"and {STATE_FORMAT}: group the articles again from an empty state"
            )
        index = StoryIndex(_options(data["options"]))
        active = index.active = ActiveSet(index.states, index.options, capacity=int(data["capacity"]))
        for slot, touched in data["touched"].items():
            active.slot_touched[int(slot)] = int(touched)
        active.free = [int(slot) for slot in data["free"]]
        index.counts.documents = int(data["documents"])
        index.next_seq = int(data["next_seq"])
        index.newest = _parse(data["newest"])
        index.counts.terms = _counter(data["df"])
        index.counts.words = _counter(data.get("word_df", {}))
        index.counts.numbers = _counter(data.get("number_df", {}))
        index.merged_into = {str(k): str(v) for k, v in data["merged_into"].items()}
        for raw_story in data["stories"]:
            state = _story(raw_story)
            index.states[state.id] = state
            for article in state.article_ids:
                index.story_by_article[article] = state.id
            if raw_story["slot"] is not None:
                active.put_back(state, int(raw_story["slot"]))
        active.restore_retired([str(id) for id in data.get("retired_order", [])])
        index.saved_marks = {id: _mark(state) for id, state in index.states.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"story state is malformed ({type(exc).__name__}: {exc})") from exc
    return index


def _options(raw: Mapping[str, Any]) -> GroupingOptions:
    """The options saved with a state (options added since default to what they were before)."""
    return GroupingOptions(
        join=float(raw["join"]),
        merge=float(raw["merge"]),
        term_weight=float(raw["term_weight"]),
        word_weight=float(raw.get("word_weight", 0.0)),
        time_penalty=float(raw.get("time_penalty", 0.0)),
        window=timedelta(seconds=float(raw["window_seconds"])),
        retention=timedelta(seconds=float(raw["retention_seconds"])),
        max_active=int(raw["max_active"]),
        candidates=int(raw["candidates"]),
        max_retired=int(raw.get("max_retired", GroupingOptions().max_retired)),
        learned=bool(raw.get("learned", False)),
    )


def _story(raw: Mapping[str, Any]) -> StoryState:
    """One saved story, not yet placed in the active set."""
    total = np.frombuffer(base64.b64decode(raw["total"]), dtype="<f4").astype(np.float32)
    if total.shape not in {(DIMENSIONS,), (0,)}:
        raise ValueError(f"story {raw['id']} has a vector of {total.shape[0]} numbers")
    return StoryState(
        id=str(raw["id"]),
        seq=int(raw["seq"]),
        article_ids=[str(a) for a in raw["articles"]],
        total=total,
        terms=_counter(raw["terms"]),
        words=_counter(raw.get("words", {})),
        numbers=_counter(raw.get("numbers", {})),
        outlets=_counter(raw.get("outlets", {})),
        first_seen=_parse(raw["first_seen"]),
        last_seen=_parse(raw["last_seen"]),
    )


def _counter(raw: Mapping[str, Any]) -> Counter[str]:
    """Saved counts back to a Counter."""
    return Counter({str(k): int(v) for k, v in raw.items()})


def _iso(when: datetime | None) -> str | None:
    """``when`` as ISO 8601 text."""
    return None if when is None else when.isoformat()


def _parse(text: str | None) -> datetime | None:
    """ISO 8601 text back to a datetime."""
    return None if text is None else parse_iso_datetime(text)
