"""A batch added to an existing archive: the tables already there, and how the batch joins them.

An archive folder keeps, besides its tables, what the next batch needs to continue where the last one
stopped: ``signatures`` (each article's MinHash signature and order key, so new articles are compared
with archived ones for copies) and ``state`` (the story index, saved as ``StoryIndex.to_dict`` saves it,
so new articles join the archived stories under the same ids). A batch then:

- skips articles already archived with the same text, and rejects an archived id with another text;
- finds copies among its articles and between them and the archived ones (the original of a group is
  still the earliest member, archived or new);
- continues the story index from the saved state, in time order;
- writes a new roundup version only for the stories that gained an article or whose copy links changed,
  and keeps every earlier version.

Both engines call these functions on the driver; the tables are replaced only once every new table is
written (``publish``), so a failed batch leaves the archive as it was.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.engines import plan
from newsroundup.engines.plan import Frame
from newsroundup.errors import InputError

# The archive's tables; signatures and state are what the next batch continues from.
TABLES = ("articles", "rejected", "copies", "stories", "roundups", "sentences", "signatures", "state")
SIGNATURE_COLUMNS = ("id", "sort_key", "minhash", "shingles")
# The story index's state, a row per part: part 0 is what all stories share, part n the n-th story (oldest
# first). One row per story keeps every value small: the whole state in one string reached hundreds of
# megabytes at 20k articles and ran a Spark driver out of heap.
STATE_COLUMNS = ("part", "state")
_INCOMING = ".incoming"
_REPLACED = ".replaced"


@dataclass(frozen=True)
class Previous:
    """The tables of the archive before this batch (empty frames for a new archive)."""

    tables: dict[str, Frame]
    state: dict[str, Any] | None

    def known(self) -> dict[str, str]:
        """Archived article id -> its text's fingerprint."""
        articles = self.tables["articles"]
        return dict(zip(articles["id"], articles["fingerprint"], strict=True))


def read_previous(out: Path) -> Previous:
    """The archive under ``out`` (nothing when the folder is new or empty); an incomplete one is refused."""
    import pandas as pd

    _recover(out)
    present = [name for name in TABLES if (out / name).is_dir()]
    if not present:
        return Previous({name: _empty(name) for name in TABLES}, None)
    missing = [name for name in TABLES if name not in present]
    if missing:
        raise InputError(
            f"{out}: not an archive this version can add to (no {', '.join(missing)} table); "
            "give a new folder, or re-run over every input into one"
        )
    tables: dict[str, Frame] = {}
    for name in TABLES:
        try:
            tables[name] = pd.read_parquet(out / name)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise InputError(f"{out / name}: not a readable Parquet table ({exc})") from None
    try:
        state = state_from_table(tables["state"])
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{out / 'state'}: no readable story state ({type(exc).__name__})") from None
    return Previous(tables, state)


def _empty(name: str) -> Frame:
    import pandas as pd

    columns = {
        "articles": plan.ARTICLE_COLUMNS, "rejected": plan.REJECTED_COLUMNS, "copies": plan.COPY_COLUMNS,
        "stories": plan.STORY_COLUMNS, "roundups": plan.ROUNDUP_COLUMNS, "sentences": plan.SENTENCE_COLUMNS,
        "signatures": SIGNATURE_COLUMNS, "state": STATE_COLUMNS,
    }[name]
    return pd.DataFrame(columns=list(columns))


# -- articles already archived ------------------------------------------------------------------------------


def known_reason(source: str, line: int) -> str:
    """Why an article whose id is archived with another text is rejected."""
    return f"id already archived with a different text (the archived one is kept; {source}:{line} is not)"


def split_known(articles: Frame, known: Mapping[str, str]) -> tuple[Frame, int, Frame]:
    """(new articles, how many were archived already with the same text, rejected rows for changed texts)."""
    archived = articles["id"].map(lambda id: known.get(id))
    same = archived.notna() & (archived == articles["fingerprint"])
    changed = archived.notna() & ~same
    rejected = articles[changed].assign(reason=[
        known_reason(source, line) for source, line in zip(articles[changed]["source"], articles[changed]["line"],
                                                          strict=True)
    ])[list(plan.REJECTED_COLUMNS)]
    return articles[archived.isna()].reset_index(drop=True), int(same.sum()), rejected.reset_index(drop=True)


def unseen_rejections(rejected: Frame, previous: Previous) -> Frame:
    """The batch's rejected records an earlier batch did not reject already (same file, line and reason).

    Running a finished batch again rejects its bad records again; they are in the archive already.
    """
    archived = previous.tables["rejected"]
    seen = set(zip(archived["source"], (int(line) for line in archived["line"]), archived["reason"], strict=True))
    fresh = [(source, int(line), reason) not in seen
             for source, line, reason in zip(rejected["source"], rejected["line"], rejected["reason"], strict=True)]
    return rejected[fresh].reset_index(drop=True)


# -- copies --------------------------------------------------------------------------------------------------


def archived_edges(previous: Previous) -> list[tuple[str, str]]:
    """The archived copy links as pairs (copy, original): the components new links may join."""
    copies = previous.tables["copies"]
    return list(zip(copies["article_id"], copies["original_id"], strict=True))


def relink(previous: Previous, originals: Mapping[str, str]) -> tuple[Frame, set[str]]:
    """The archived articles with ``syndicated_from`` from the new copy links, and the ids whose link changed.

    A link the input gave is kept as it was; a link copy detection made follows ``originals``.
    """
    articles = previous.tables["articles"]
    detected = dict(archived_edges(previous))
    links: list[str | None] = []
    changed: set[str] = set()
    for id, link in zip(articles["id"], articles["syndicated_from"], strict=True):
        given = link if isinstance(link, str) and detected.get(id) != link else None
        now = given if given is not None else originals.get(id)
        links.append(now)
        if now != (link if isinstance(link, str) else None):
            changed.add(id)
    return articles.assign(syndicated_from=links), changed


# -- stories and roundups -------------------------------------------------------------------------------------


def next_versions(stories: Frame, touched: set[str], previous: Previous) -> dict[str, int]:
    """Story id -> the version its new roundup gets, for every story holding a touched article."""
    changed = sorted({story for story, article in zip(stories["story_id"], stories["article_id"], strict=True)
                      if article in touched})
    roundups = previous.tables["roundups"]
    last = roundups.groupby("story_id")["version"].max().to_dict() if len(roundups) else {}
    return {story: int(last.get(story, 0)) + 1 for story in changed}


def state_table(state: Mapping[str, Any]) -> Frame:
    """The story index's saved state as a table: the shared part, then one row per story."""
    import pandas as pd

    stories = state.get("stories")
    shared = {key: value for key, value in state.items() if key != "stories"}
    if stories is not None:
        shared["story_rows"] = len(stories)  # a check on reading, and a state with no stories keeps its list
    parts = [json.dumps(shared, sort_keys=True)] + [json.dumps(story, sort_keys=True) for story in stories or ()]
    return pd.DataFrame({"part": range(len(parts)), "state": parts}, columns=list(STATE_COLUMNS)).astype(
        {"part": "int64"}
    )


def state_from_table(table: Frame) -> dict[str, Any]:
    """The state :func:`state_table` wrote (or, from an archive written before it, the one-row state)."""
    if "part" not in table.columns:
        return dict(json.loads(table["state"].iloc[0]))
    ordered = table.sort_values("part", kind="stable")["state"].tolist()
    state = dict(json.loads(ordered[0]))
    rows = state.pop("story_rows", None)
    if rows is not None:
        if rows != len(ordered) - 1:
            raise ValueError(f"{len(ordered) - 1} story rows, the state says {rows}")
        state["stories"] = [json.loads(story) for story in ordered[1:]]
    return state


def kept_sentences(previous: Previous, rewritten: Iterable[str]) -> Frame:
    """The archived cited sentences of the stories that keep their roundup."""
    sentences = previous.tables["sentences"]
    return sentences[~sentences["story_id"].isin(set(rewritten))]


# -- writing -------------------------------------------------------------------------------------------------


def write_table(frame: Frame, folder: Path) -> None:
    """Write ``frame`` as the one Parquet file of ``folder`` (replacing what was there)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    frame.reset_index(drop=True).to_parquet(folder / "part-00000.parquet", index=False)


def publish(out: Path, write: Callable[[str, Path], None], names: Iterable[str] = TABLES) -> None:
    """Write every table with ``write(name, folder)`` beside the archive, then put them in place.

    Nothing of the archive changes until every table is written; the swap is a few renames, and one
    interrupted half way is finished by the next ``read_previous``.
    """
    incoming = out / _INCOMING
    if incoming.exists():
        shutil.rmtree(incoming)
    incoming.mkdir(parents=True)
    names = list(names)
    for name in names:
        write(name, incoming / name)
    (incoming / "COMPLETE").write_text("\n".join(names) + "\n", encoding="utf-8")
    _swap(out)


def _swap(out: Path) -> None:
    incoming, replaced = out / _INCOMING, out / _REPLACED
    names = (incoming / "COMPLETE").read_text(encoding="utf-8").split()
    replaced.mkdir(exist_ok=True)
    for name in names:
        if (incoming / name).exists():
            if (out / name).exists():
                if (replaced / name).exists():
                    shutil.rmtree(replaced / name)
                (out / name).rename(replaced / name)
            (incoming / name).rename(out / name)
    shutil.rmtree(incoming)
    shutil.rmtree(replaced)


def _recover(out: Path) -> None:
    """Finish a swap a crash interrupted, or drop a batch that never finished writing."""
    incoming = out / _INCOMING
    if (incoming / "COMPLETE").exists():
        _swap(out)
    elif incoming.exists():
        shutil.rmtree(incoming)
    replaced = out / _REPLACED
    if replaced.exists():
        for table in replaced.iterdir():  # an old table whose new one was never put in place
            if not (out / table.name).exists():
                table.rename(out / table.name)
        shutil.rmtree(replaced)
