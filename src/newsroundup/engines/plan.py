"""The archive plan, engine-free: the per-partition and per-story functions both engines run, and the driver steps.

Every function here takes and returns pandas frames of plain columns (strings, integers, bytes, lists of
strings), so the local engine calls them on one process's frames and the Spark engine calls the very same
functions inside ``mapInPandas`` tasks. The computation is the project's own stages:
loading (``pipeline.load``), MinHash signatures and the copy test (``grouping.copies``), grouping signals
and the story index (``grouping``), roundups and their checker (``roundup``).

The plan:
1. ``prepare``: raw records (source, line, JSON text) -> one row per article: cleaned, fingerprinted,
   its MinHash signature and its grouping signals (embedding, key terms, content words, date), or a
   ``reason`` it was rejected.
2. ``reject_duplicates``: one row per id (the first by source and line); the others are rejected.
3. copies: LSH ``bands`` -> candidate pairs (articles sharing a band; ``bucket_pairs``) -> ``verify_pairs``
   (the project's ``is_copy``) -> ``copy_originals`` (connected components; the earliest article is the original).
4. ``group_sorted``: the story index over every article in time order, same times in input order (file,
   line), as ``run`` places them (sequential: one driver), continued
   from the saved state of the archive's earlier batches (``engines/previous.py``). With ``Windows``, only the
   first window is placed so; every later window is grouped on its own from scratch (``group_window``, in
   parallel), with the window before's statistics and a warm-up of its last articles, and the driver carries
   those groupings into its index (``Stitch``): a window's story joins the story most of its warm-up
   articles are in, or is new. Cheaper on the driver (no scoring), not the same stories: a story that
   sleeps longer than the overlap splits at the window edge.
5. ``roundup_group``: one story's articles -> its checked roundup; ``roundup_sentences`` its cited sentences.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from newsroundup.annotate import parses
from newsroundup.annotate.parses import CacheSettings
from newsroundup.errors import InputError, NewsroundupError
from newsroundup.grouping import vectors
from newsroundup.grouping.copies import Signature, is_copy, signature_of
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals, article_signals
from newsroundup.grouping.state import index_from_dict, index_to_dict
from newsroundup.grouping.stories import StoryIndex
from newsroundup.model import Article, roundup_to_json
from newsroundup.pipeline.load import LoadRules, article_from_line
from newsroundup.pipeline.run import article_set_fingerprint
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.text.dates import parse_iso_datetime

Frame = Any  # a pandas DataFrame (pandas is an optional dependency: the ``spark`` extra)
_LAST = datetime(9999, 12, 31, tzinfo=UTC)  # an undated article's order key when the caller gives no clock

# Column order of every frame the plan produces (the Spark engine declares the same as Spark schemas).
RAW_COLUMNS = ("source", "line", "raw")
ARTICLE_COLUMNS = (
    "source", "line", "id", "url", "outlet", "title", "published", "language", "fetched_at", "author",
    "partial", "syndicated_from", "text", "fingerprint",
)
PREPARED_COLUMNS = (
    *ARTICLE_COLUMNS, "sort_key", "minhash", "shingles", "vector", "terms", "words", "numbers", "grouping_date",
    "reason",
)
REJECTED_COLUMNS = ("source", "line", "id", "reason")
COPY_COLUMNS = ("article_id", "original_id")
STORY_COLUMNS = ("story_id", "article_id", "position", "first_seen", "last_seen")
ROUNDUP_COLUMNS = ("story_id", "version", "fingerprint", "headline", "words", "articles", "roundup", "error")
# A story none of whose articles has a usable sentence gets no roundup (an error row), as ``run`` says it; like
# ``run``, that is reported, not counted as a failure.
NO_SENTENCES = "no article has a usable sentence"
SENTENCE_COLUMNS = ("story_id", "position", "text", "article_id", "start", "end", "rewritten")


@dataclass(frozen=True)
class Windows:
    """Grouping in windows: the batch's articles in time order cut into windows of ``size``; each window but
    the first is grouped on its own after ``overlap`` warm-up articles (the end of the window before), its
    stream statistics (how rare each name and word is) counted from the rest of the window before."""

    size: int
    overlap: int

    def __post_init__(self) -> None:
        if self.size < 1:
            raise InputError(f"grouping window of {self.size} articles: expected at least 1")
        if not 0 <= self.overlap <= self.size:
            raise InputError(f"grouping overlap of {self.overlap} articles: expected 0 to the window's {self.size}")

    def of(self, position: int) -> list[tuple[int, str]]:
        """The windows the article at ``position`` is in, each with its role there: ``own`` (placed, its
        story kept), ``warm`` (placed, to tie the window's stories to the driver's) or ``context`` (counted)."""
        own = position // self.size
        role = "warm" if position % self.size >= self.size - self.overlap else "context"
        return [(own, "own"), (own + 1, role)]

@dataclass(frozen=True)
class PlanOptions:
    """What the plan needs besides its input: load rules, clock, model settings, roundup options."""

    now: datetime | None = None  # the caller's clock (bounds future dates, as ``run`` does)
    load: LoadRules = field(default_factory=LoadRules)
    backend: vectors.Backend = vectors.DEFAULT_BACKEND
    threads: int = 1  # embedder threads per task: one per Spark task so executors do not oversubscribe
    cache: Path = Path.home() / ".cache" / "newsroundup"
    parses: CacheSettings = field(default_factory=CacheSettings)  # the parse cache (a Spark worker is a new process)
    words: int = 100
    enrich: EnrichOptions | None = None
    grouping: GroupingOptions | None = None
    since: datetime | None = None  # articles published (or fetched) before this are left out; undated ones kept
    windows: Windows | None = None  # None: every article placed by the one story index, in order (as `run`)


def lsh_shape() -> tuple[int, int]:
    """Bands and rows per band of the copy index (datasketch's choice for the copy threshold)."""
    from newsroundup.grouping.copies import lsh_shape as copy_lsh_shape

    return copy_lsh_shape()


# -- 1. per article ----------------------------------------------------------------------------------


def prepare(raw: Frame, options: PlanOptions) -> Frame:
    """Raw records -> prepared article rows (``PREPARED_COLUMNS``); a bad record gets a ``reason``."""
    import pandas as pd

    vectors.configure(vectors.ModelSettings(threads=options.threads, cache=options.cache))
    rows: list[dict[str, Any]] = []
    articles: list[Article] = []
    for source, line, text in zip(raw["source"], raw["line"], raw["raw"], strict=True):
        if not text.strip():  # a blank line is no record (the Spark engine's reader keeps them)
            continue
        where = f"{source}:{line}"
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            rows.append(_rejected(source, line, None, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            rows.append(_rejected(source, line, None, "expected a JSON object"))
            continue
        try:
            article = article_from_line(record, where, options.load, lambda _warning: None)
        except InputError as exc:
            rows.append(_rejected(source, line, _str(record.get("id")), str(exc)))
            continue
        if not article.text.strip():
            rows.append(_rejected(source, line, article.id, "no text"))
            continue
        if published_before(article, options.since):
            continue
        rows.append(_article_row(source, int(line), article, options.now))
        articles.append(article)
    signals = iter(article_signals(articles, backend=options.backend, now=options.now) if articles else [])
    for row in rows:
        if row["reason"] is None:
            _add_signals(row, next(signals))
    frame = pd.DataFrame(rows, columns=list(PREPARED_COLUMNS))
    return frame.astype({"line": "int64", "shingles": "Int64"})


def published_before(article: Article, since: datetime | None) -> bool:
    """Whether ``article`` was published (or, undated, fetched) before ``since``."""
    when = article.published or article.fetched_at
    if since is None or when is None:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) < since


def _article_row(source: str, line: int, article: Article, now: datetime | None) -> dict[str, Any]:
    """The prepared row of one good article, before its grouping signals.

    Its order key is when it was published, else fetched, else ``now`` (the run's clock): an undated
    article is taken as seen when archived, after every dated one, as ``run`` stores it (fetched now).
    """
    signature = signature_of(article.text)
    return {
        "source": source, "line": line, "id": article.id, "url": article.url, "outlet": article.outlet,
        "title": article.title, "published": iso(article.published), "language": article.language,
        "fetched_at": iso(article.fetched_at), "author": article.author, "partial": article.partial,
        "syndicated_from": article.syndicated_from, "text": article.text,
        "fingerprint": hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:32],
        "sort_key": iso(article.published or article.fetched_at or now or _LAST),
        "minhash": signature.to_bytes(), "shingles": signature.shingles, "reason": None,
    }


def _add_signals(row: dict[str, Any], signals: ArticleSignals) -> None:
    """Put an article's grouping signals into its prepared row."""
    row["vector"] = np.asarray(signals.vector, dtype="<f4").tobytes()
    row["terms"] = sorted(signals.terms)
    row["words"] = sorted(signals.words)
    row["numbers"] = sorted(signals.numbers)
    row["grouping_date"] = iso(signals.published)


def _rejected(source: str, line: int, id: str | None, reason: str) -> dict[str, Any]:
    """A prepared row for a record that is not an article."""
    row: dict[str, Any] = dict.fromkeys(PREPARED_COLUMNS)
    row.update(source=source, line=int(line), id=id, reason=reason)
    return row


def reject_duplicates(prepared: Frame) -> tuple[Frame, Frame]:
    """(articles, rejected): the first row of each id by (source, line) is kept; the others are rejected."""
    good = prepared[prepared["reason"].isna()].sort_values(["id", "source", "line"], kind="stable")
    first = good.drop_duplicates("id", keep="first")
    later = good[good.duplicated("id", keep="first")].merge(
        first[["id", "source", "line", "fingerprint"]], on="id", suffixes=("", "_first")
    )
    later = later.assign(reason=[duplicate_reason(*row) for row in zip(
        later["source_first"], later["line_first"], later["fingerprint"], later["fingerprint_first"], strict=True
    )])
    bad = prepared[prepared["reason"].notna()]
    rejected = concat([bad[list(REJECTED_COLUMNS)], later[list(REJECTED_COLUMNS)]], REJECTED_COLUMNS)
    return first.reset_index(drop=True), rejected


def duplicate_reason(source: str, line: int, fingerprint: str, first_fingerprint: str) -> str:
    """Why a later record of an id is rejected (the same text, or a different one)."""
    kind = "same text" if fingerprint == first_fingerprint else "a different text"
    return f"duplicate id ({kind}); kept {source}:{line}"


# -- 3. copies -----------------------------------------------------------------------------------------


def bands(prepared: Frame) -> Frame:
    """One row per (band, band key, article id) of the LSH index; articles without shingles have none."""
    import pandas as pd

    b, r = lsh_shape()
    out: list[tuple[int, str, str]] = []
    for id, minhash, shingles in zip(prepared["id"], prepared["minhash"], prepared["shingles"], strict=True):
        if not shingles:
            continue
        values = np.frombuffer(minhash, dtype="<u4")
        out.extend((band, values[band * r : (band + 1) * r].tobytes().hex(), id) for band in range(b))
    return pd.DataFrame(out, columns=["band", "key", "id"])


def bucket_pairs(buckets: Frame) -> Frame:
    """The candidate pairs of LSH buckets: per row, ``ids`` (the articles sharing one band's key) and ``new``
    (those of them new in this batch) -> every pair a < b with a new article (columns a, b; repeats kept)."""
    import pandas as pd

    out: list[tuple[str, str]] = []
    for ids, new in zip(buckets["ids"], buckets["new"], strict=True):
        fresh = set(new)
        members = sorted(ids)
        out.extend((a, b) for i, a in enumerate(members) for b in members[i + 1 :] if a in fresh or b in fresh)
    return pd.DataFrame(out, columns=["a", "b"])


def verify_pairs(pairs: Frame) -> Frame:
    """The candidate pairs (a, b with their signatures) that really are copies: columns a, b."""
    keep = [
        is_copy(Signature.from_bytes(ma, int(sa)), Signature.from_bytes(mb, int(sb)))
        for ma, sa, mb, sb in zip(pairs["minhash_a"], pairs["shingles_a"], pairs["minhash_b"], pairs["shingles_b"],
                                  strict=True)
    ]
    return pairs.loc[keep, ["a", "b"]].reset_index(drop=True)


def copy_originals(edges: Iterable[tuple[str, str]], orders: dict[str, str]) -> dict[str, str]:
    """Copy -> original over the verified copy pairs: connected components, the earliest member the original.

    ``orders`` gives each article's order key (ISO date, undated as the run's clock); ties go to the smaller id.
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in list(parent):
        members.setdefault(root(x), []).append(x)
    out: dict[str, str] = {}
    for group in members.values():
        original = min(group, key=lambda x: (orders[x], x))
        out.update({x: original for x in group if x != original})
    return out


# -- 4. grouping (on the driver; later windows in tasks) --------------------------------------------------


GROUPING_COLUMNS = ("id", "vector", "terms", "words", "grouping_date", "numbers", "outlet", "syndicated_from")
WINDOW_INPUT_COLUMNS = ("window", "role", "position", *GROUPING_COLUMNS)  # ``window_rows``' rows
WINDOW_COLUMNS = ("window", "article_id", "local_story", "warm")  # what ``group_window`` makes of a window


def group_sorted(rows: Iterable[Sequence[Any]], options: GroupingOptions | None = None,
                 state: Mapping[str, Any] | None = None, stitch: Stitch | None = None) -> tuple[Frame, dict[str, Any]]:
    """Stories of articles given in time order as ``GROUPING_COLUMNS`` tuples: ``STORY_COLUMNS`` rows of every
    story, and the index's state after them. With ``state`` (an earlier batch's), the index continues from it,
    so the articles join the stories already there under the same ids. With ``stitch``, the articles after
    the first window go where their windows' groupings put them (no scoring)."""
    import pandas as pd

    index = index_from_dict(state) if state is not None else StoryIndex(options)
    for position, row in enumerate(rows):
        signals = grouping_signals(row)
        if stitch is None or position < stitch.windows.size:
            index.add(signals)
        else:
            stitch.placed(signals.id, index.assign(signals, stitch.story_for(signals.id, index)))
    out = [
        (story.id, article, position, iso(story.first_seen), iso(story.last_seen))
        for story in index.stories()
        for position, article in enumerate(story.article_ids)
    ]
    return pd.DataFrame(out, columns=list(STORY_COLUMNS)), index_to_dict(index)


def documents_in(state: Mapping[str, Any] | None) -> int:
    """How many articles the saved story index ``state`` has counted (0 without one)."""
    return int(state["documents"]) if state is not None else 0


def grouping_signals(row: Sequence[Any]) -> ArticleSignals:
    """The grouping signals of a ``GROUPING_COLUMNS`` tuple."""
    id, vector, terms, words, when, numbers, outlet, copy_of = row
    return ArticleSignals(
        id, np.frombuffer(vector, dtype="<f4").astype(np.float32), frozenset(terms),
        parse_iso_datetime(when) if when else None, frozenset(words), frozenset(numbers), _str(outlet), _str(copy_of),
    )


def window_rows(rows: Iterable[tuple[int, Sequence[Any]]], windows: Windows) -> Iterator[tuple[Any, ...]]:
    """(position, ``GROUPING_COLUMNS`` tuple) -> (window, role, position, *columns) of every window after the
    first that the article is in (``Windows.of``; the first window is the driver's)."""
    for position, row in rows:
        for window, role in windows.of(position):
            if window >= 1:
                yield (window, role, position, *row)


def group_window(frame: Frame, options: GroupingOptions | None = None, documents_before: int = 0) -> Frame:
    """One window's rows (``window_rows``, any order) grouped from scratch by the story index: a
    ``WINDOW_COLUMNS`` row per placed article, its story named as the window's index names it.

    The index first counts the ``context`` rows into its statistics, scaled to the stream's size at the
    window's first placed article (its position, plus ``documents_before``: the articles of earlier
    batches): with a young stream's statistics every shared name looks telling, and stories merge.
    """
    import pandas as pd

    frame = frame.sort_values("position", kind="stable")
    index = StoryIndex(options)
    placed = frame["role"] != "context"
    for row in grouping_rows(frame[~placed]):
        index.observe(grouping_signals(row))
    frame = frame[placed]
    if len(frame):
        index.counts.scale_to(documents_before + int(frame["position"].iloc[0]))
    for row in grouping_rows(frame):
        index.add(grouping_signals(row))
    out = [(int(window), id, index.story_of(id), role == "warm")
           for window, id, role in zip(frame["window"], frame["id"], frame["role"], strict=True)]
    return pd.DataFrame(out, columns=list(WINDOW_COLUMNS))


class Stitch:
    """The windows' groupings, carried into the driver's index: an article of a later window goes to the story
    its window's story went to. A window's story goes, when its first article is placed, to the story most of
    its warm-up articles are in (ties: the oldest story), or, with no warm-up article, to a new story."""

    def __init__(self, labels: Frame, windows: Windows) -> None:
        self.windows = windows
        self.own: dict[str, tuple[int, str]] = {}  # article -> (its window, its story there)
        self.warm: dict[tuple[int, str], list[str]] = {}  # (window, story there) -> its warm-up articles
        self.final: dict[tuple[int, str], str] = {}  # (window, story there) -> the story it went to
        for window, article, local, warm in zip(*(labels[c] for c in WINDOW_COLUMNS), strict=True):
            key = (int(window), str(local))
            if warm:
                self.warm.setdefault(key, []).append(article)
            else:
                self.own[article] = key

    def story_for(self, article: str, index: StoryIndex) -> str | None:
        """Where ``article`` (of a later window) goes in ``index``: a story id, or None for a new story."""
        key = self.own[article]
        if key in self.final:
            return index.resolve(self.final[key])
        votes = Counter(story for story in map(index.story_of, self.warm.get(key, ())) if story is not None)
        if not votes:
            return None
        return min(votes, key=lambda story: (-votes[story], index.states[story].seq))

    def placed(self, article: str, story: str) -> None:
        """Record that ``article`` went to ``story`` (its window's story goes there too)."""
        self.final[self.own[article]] = story


def grouping_rows(ordered: Frame) -> Iterator[tuple[Any, ...]]:
    """The ``GROUPING_COLUMNS`` tuples of a frame's rows, in its order (what ``group_sorted`` takes)."""
    return zip(*(ordered[column] for column in GROUPING_COLUMNS), strict=True)


def window_frames(ordered: Frame, windows: Windows) -> Iterator[Frame]:
    """The rows of each later window of the time-ordered ``ordered`` (``WINDOW_INPUT_COLUMNS``), in order."""
    import pandas as pd

    rows = pd.DataFrame(list(window_rows(enumerate(grouping_rows(ordered)), windows)),
                        columns=list(WINDOW_INPUT_COLUMNS))
    return (frame for _, frame in rows.groupby("window", sort=True))


def window_labels(ordered: Frame, windows: Windows, options: GroupingOptions | None = None,
                  documents_before: int = 0) -> Frame:
    """Every later window of the time-ordered ``ordered`` (``GROUPING_COLUMNS``) grouped, one after the other
    (the local engine; the Spark engine groups the windows in tasks): ``WINDOW_COLUMNS`` rows."""
    return concat([group_window(frame, options, documents_before) for frame in window_frames(ordered, windows)],
                  WINDOW_COLUMNS)


# -- 5. roundups (per story) ------------------------------------------------------------------------------


def roundup_group(story: Frame, options: PlanOptions) -> Frame:
    """One story's article rows (``ARTICLE_COLUMNS`` + ``story_id``, ``position``, ``version``) -> its roundup row."""
    import pandas as pd

    story = story.sort_values("position", kind="stable")
    story_id = str(story["story_id"].iloc[0])
    articles = [article_of(row) for row in story.to_dict("records")]
    version = int(story["version"].iloc[0]) if "version" in story else 1
    row: dict[str, Any] = {"story_id": story_id, "version": version, "fingerprint": article_set_fingerprint(articles),
                           "headline": None, "words": None, "articles": len(articles), "roundup": None, "error": None}
    if options.enrich is not None and parses.current().settings != options.parses:
        parses.configure(options.parses)
    try:
        roundup = write_roundup(articles, RoundupOptions(words=options.words, enrich=options.enrich), story_id)
        if roundup.sentences:
            check_roundup(roundup, articles, budget=options.words)
    except NewsroundupError as exc:
        row["error"] = str(exc)
    else:
        if not roundup.sentences:  # as `run`: no roundup of a headline alone
            row["error"] = NO_SENTENCES
            return pd.DataFrame([row], columns=list(ROUNDUP_COLUMNS)).astype({"words": "Int64"})
        data = roundup_to_json(roundup)
        row.update(headline=roundup.headline, words=data["words"], roundup=json.dumps(data, sort_keys=True))
    return pd.DataFrame([row], columns=list(ROUNDUP_COLUMNS)).astype({"words": "Int64"})


def roundup_groups(frames: Iterable[Frame], options: PlanOptions, batch: int = 64) -> Iterator[Frame]:
    """The roundup rows of the stories in ``frames``, ``batch`` stories a frame: ``frames`` are consecutive
    frames of article rows (as ``roundup_group`` takes) sorted by story, a story's rows possibly running on
    into the next frame. One call per partition instead of one per story (a Spark ``applyInPandas`` call
    per story costs milliseconds of its own)."""
    rows: list[Frame] = []
    for story in story_frames(frames):
        rows.append(roundup_group(story, options))
        if len(rows) == batch:
            yield concat(rows, ROUNDUP_COLUMNS)
            rows = []
    if rows:
        yield concat(rows, ROUNDUP_COLUMNS)


def story_frames(frames: Iterable[Frame], key: str = "story_id") -> Iterator[Frame]:
    """One frame per ``key`` value of ``frames``, which come sorted by ``key``; a value's rows may span frames."""
    import pandas as pd

    held: Frame | None = None  # the rows of the last value seen, which the next frame may continue
    for frame in frames:
        if held is not None:
            frame = pd.concat([held, frame], ignore_index=True)
        if not len(frame):  # an empty frame with nothing held: held rows are never empty
            continue
        keys = frame[key].to_numpy()
        last = keys == keys[-1]
        held = frame[last]
        yield from (group for _, group in frame[~last].groupby(key, sort=False))
    if held is not None:
        yield held


def roundup_sentences(roundups: Frame) -> Frame:
    """The cited sentences of the roundups: one row per sentence with its span (``SENTENCE_COLUMNS``)."""
    import pandas as pd

    out = []
    for story_id, text in zip(roundups["story_id"], roundups["roundup"], strict=True):
        if text is None:
            continue
        for n, sentence in enumerate(json.loads(text)["sentences"]):
            source = sentence["source"]
            out.append((story_id, n, sentence["text"], source["article"], source["start"], source["end"],
                        bool(sentence["rewritten"])))
    return pd.DataFrame(out, columns=list(SENTENCE_COLUMNS))


def article_of(row: dict[str, Any]) -> Article:
    """The ``Article`` of an article row."""
    return Article(
        id=row["id"], text=row["text"], url=row["url"], outlet=row["outlet"], title=row["title"],
        published=_parse(row["published"]), language=row["language"], fetched_at=_parse(row["fetched_at"]),
        syndicated_from=row["syndicated_from"], author=row["author"], partial=bool(row["partial"]),
    )


def with_originals(articles: Frame, originals: dict[str, str]) -> Frame:
    """Articles with ``syndicated_from`` set from the copy links (a link the input gave is kept)."""
    linked = [given if isinstance(given, str) else originals.get(id)
              for id, given in zip(articles["id"], articles["syndicated_from"], strict=True)]
    return articles.assign(syndicated_from=linked)


# -- helpers ----------------------------------------------------------------------------------------------


def partitions(frame: Frame, size: int) -> Iterator[Frame]:
    """``frame`` in consecutive slices of ``size`` rows."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def concat(frames: Sequence[Frame], columns: Sequence[str]) -> Frame:
    """The rows of ``frames`` in order with ``columns`` (empty frames add nothing)."""
    import pandas as pd

    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(columns))
    return pd.concat(frames, ignore_index=True)[list(columns)]


def iso(when: datetime | None) -> str | None:
    """UTC ISO 8601 text (sortable as text); a naive time is taken as UTC."""
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _parse(text: Any) -> datetime | None:
    return parse_iso_datetime(text) if isinstance(text, str) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def sorted_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs, as a sorted list without repeats (a stable order for the driver's union-find)."""
    return sorted(set(pairs))

