"""Tests for grouping/stories.py (with state.py, active.py, match.py): grouping an invented stream into stories."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsroundup.errors import InputError
from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals, article_signals, grouping_date, grouping_text
from newsroundup.grouping.state import index_from_dict, index_to_dict
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.story import STORY_WORDS
from newsroundup.grouping.vectors import DIMENSIONS
from newsroundup.model import Article, story_id
from newsroundup.text.dates import parse_iso_datetime
from newsroundup.text.keyterms import key_terms

STREAM = Path(__file__).parents[1] / "fixtures" / "stories" / "stream.jsonl"
Stream = tuple[list[ArticleSignals], dict[str, str]]


@pytest.fixture(scope="module")
def stream() -> Stream:
    """The invented stream in publication order (embedded once), and each article's gold event."""
    records = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]
    articles = [
        Article(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            outlet=r["outlet"],
            published=parse_iso_datetime(r["published"]) if r["published"] else None,
        )
        for r in records
    ]
    signals = article_signals(articles)
    floor = datetime(2000, 1, 1, tzinfo=UTC)
    # Undated articles keep their place after the article before them.
    dates = [s.published or signals[i - 1].published or floor for i, s in enumerate(signals)]
    order = sorted(range(len(signals)), key=lambda i: dates[i])
    return [signals[i] for i in order], {r["id"]: r["event"] for r in records}


def _by_id(signals: list[ArticleSignals]) -> dict[str, ArticleSignals]:
    return {s.id: s for s in signals}


def test_the_invented_stream_groups_into_its_events(stream: Stream) -> None:
    signals, gold = stream
    index = StoryIndex()
    index.add_all(signals)
    predicted = {s.id: index.story_of(s.id) or "" for s in signals}
    assert bcubed(predicted, gold).f1 >= 0.95
    # Same topic, weeks apart: two earthquakes and two factory fires stay four stories.
    assert predicted["quake-velmora-1"] != predicted["quake-korrin-1"]
    assert predicted["fire-tessaly-1"] != predicted["fire-dunmere-1"]
    # The long-running dam story (nine days of coverage) stays one story.
    assert len({predicted[f"dam-aldmoor-{n}"] for n in range(1, 7)}) == 1
    # The wire copy and the undated article join their stories.
    assert predicted["quake-velmora-2-copy"] == predicted["quake-velmora-1"]
    assert predicted["rates-nordhaven-2"] == predicted["rates-nordhaven-1"]


def test_ids_are_stable_across_runs_and_named_after_the_first_article(
    stream: Stream,
) -> None:
    signals, _ = stream
    first, second = StoryIndex(), StoryIndex()
    first.add_all(signals)
    second.add_all(signals)
    assert [s.id for s in first.stories()] == [s.id for s in second.stories()]
    for story in first.stories():
        assert story.id == story_id(story.article_ids[0])


def test_same_input_same_state(stream: Stream) -> None:
    signals, _ = stream
    runs = []
    for _ in range(2):
        index = StoryIndex()
        index.add_all(signals)
        runs.append(json.dumps(index_to_dict(index), sort_keys=True))
    assert runs[0] == runs[1]


def test_state_round_trip_then_continue_matches_an_uninterrupted_run(
    stream: Stream,
) -> None:
    signals, _ = stream
    whole = StoryIndex()
    whole.add_all(signals)
    half = StoryIndex()
    half.add_all(signals[:20])
    restored = index_from_dict(json.loads(json.dumps(index_to_dict(half))))
    assert restored.stories() == half.stories()
    restored.add_all(signals[20:])
    assert index_to_dict(restored) == index_to_dict(whole)
    assert restored.stories() == whole.stories()


def test_a_late_article_joins_its_old_story_but_weeks_later_coverage_starts_a_new_one(
    stream: Stream,
) -> None:
    signals = _by_id(stream[0])
    index = StoryIndex()
    for name in ("quake-velmora-1", "quake-velmora-2", "quake-velmora-3"):
        index.add(signals[name])
    velmora = index.story_of("quake-velmora-1")
    # Five weeks of other news pass: the Velmora story leaves the active set...
    for name in ("strike-halden-1", "dam-aldmoor-5", "quake-korrin-1", "quake-korrin-2"):
        index.add(signals[name])
    assert velmora not in index.active_ids()
    korrin = index.story_of("quake-korrin-1")
    assert korrin != velmora
    # ...but an article dated during the Velmora coverage, arriving late, still joins it.
    late = index.add(signals["quake-velmora-4"])
    assert late.story == velmora and not late.created
    assert velmora in index.active_ids()


def test_an_earthquake_weeks_later_is_a_new_story_even_when_worded_like_the_old_one(
    stream: Stream,
) -> None:
    signals = _by_id(stream[0])
    index = StoryIndex()
    old = index.add(signals["quake-velmora-1"])
    later = datetime(2025, 4, 20, tzinfo=UTC)
    weeks_later = replace(signals["quake-velmora-2"], id="copy-weeks-later", published=later)
    placement = index.add(weeks_later)
    assert placement.created and placement.story != old.story
    without_dates = StoryIndex()
    without_dates.add(signals["quake-velmora-1"])
    undated = replace(signals["quake-velmora-2"], id="copy-undated", published=None)
    assert without_dates.add(undated).story == old.story  # without dates, content decides


def test_the_same_words_four_weeks_on_are_a_new_story_under_the_defaults(stream: Stream) -> None:
    signals = _by_id(stream[0])
    dam = [signals[f"dam-aldmoor-{n}"] for n in range(1, 7)]  # nine days of coverage
    index = StoryIndex()
    index.add_all(dam)
    story = index.story_of("dam-aldmoor-1")
    assert len({index.story_of(s.id) for s in dam}) == 1
    for s in dam:  # the same articles again, four weeks later: another flood, worded alike
        assert s.published is not None
        later = index.add(replace(s, id=f"{s.id}-later", published=s.published + timedelta(days=28)))
        assert later.story != story
    assert len({index.story_of(f"{s.id}-later") for s in dam}) == 1


def _unit(*weights: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for axis, weight in weights:
        vector[axis] = weight
    return vector / np.linalg.norm(vector)


def test_two_stories_merge_when_their_coverage_converges() -> None:
    options = GroupingOptions(join=0.55, merge=0.70, term_weight=0.5)
    terms = frozenset({"fairhollow", "kestrel"})
    index = StoryIndex(options)
    bang = index.add(ArticleSignals("bang", _unit((0, 1.0)), terms))
    leak = index.add(ArticleSignals("leak", _unit((1, 1.0)), terms))
    assert bang.created and leak.created and bang.story != leak.story
    bridge = index.add(ArticleSignals("bridge", _unit((0, 1.0), (1, 1.0)), terms))
    assert bridge.story == bang.story  # the older story keeps its id
    assert bridge.merged == (leak.story,)
    assert len(index) == 1
    assert index.story_of("leak") == bang.story
    assert index.resolve(leak.story) == bang.story
    assert index.merged() == {leak.story: bang.story}
    assert index.story(leak.story).article_ids == ("bang", "bridge", "leak")


def test_each_day_between_an_article_and_a_story_costs_some_similarity() -> None:
    start = datetime(2025, 5, 1, tzinfo=UTC)
    lead = ArticleSignals("lead", _unit((0, 1.0)), frozenset(), start)
    similar = _unit((0, 0.7), (1, 0.714))  # cosine 0.70 to the lead: joins at 0.55 when close in time
    window = timedelta(days=14)

    def placed(penalty: float, days: int) -> bool:
        index = StoryIndex(GroupingOptions(join=0.55, window=window, time_penalty=penalty))
        index.add(lead)
        follow = ArticleSignals("follow", similar, frozenset(), start + timedelta(days=days))
        return not index.add(follow).created

    assert placed(0.0, 6) and placed(0.04, 1)  # no penalty, or a day later: joins
    assert not placed(0.04, 6)  # six days later with 0.04 a day: 0.70 - 0.24 < 0.55
    assert not placed(0.0, 15)  # beyond the window: never
    # A saved state keeps the penalty.
    index = StoryIndex(GroupingOptions(time_penalty=0.04))
    assert index_from_dict(index_to_dict(index)).options.time_penalty == 0.04


def test_adding_a_known_article_again_changes_nothing(stream: Stream) -> None:
    signals, _ = stream
    index = StoryIndex()
    index.add_all(signals[:10])
    before = index_to_dict(index)
    again = index.add(signals[3])
    assert not again.created and again.story == index.story_of(signals[3].id)
    assert index_to_dict(index) == before


def test_the_active_set_is_bounded_by_count_and_by_time() -> None:
    options = GroupingOptions(max_active=5, retention=timedelta(days=10))
    index = StoryIndex(options)
    for n in range(20):  # twenty unrelated, undated stories
        index.add(ArticleSignals(f"a{n}", _unit((n, 1.0)), frozenset()))
    assert len(index) == 20
    assert index.active_ids() == [story_id(f"a{n}") for n in range(15, 20)]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    dated = StoryIndex(GroupingOptions(retention=timedelta(days=10)))
    for n in range(30):
        dated.add(ArticleSignals(f"d{n}", _unit((n, 1.0)), frozenset(), start + timedelta(days=n)))
    assert dated.active_ids() == [story_id(f"d{n}") for n in range(19, 30)]


def test_stories_pushed_out_by_the_size_bound_do_not_slow_placing_down() -> None:
    class CountingIndex(StoryIndex):
        scored = 0

        def _overlap(self, *args: Any) -> float:
            CountingIndex.scored += 1
            return super()._overlap(*args)

    options = GroupingOptions(max_active=50, candidates=8)
    index = CountingIndex(options)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(300):  # 300 unrelated stories in one day: 250 leave the active set by count
        index.add(ArticleSignals(f"a{n}", _unit((n, 1.0)), frozenset({f"name{n}"}), start + timedelta(minutes=n)))
    CountingIndex.scored = 0
    late = index.add(ArticleSignals("late", _unit((3, 1.0)), frozenset({"name3"}), start + timedelta(minutes=3)))
    assert late.story == index.story_of("a3")  # the late article still finds its retired story
    assert CountingIndex.scored <= 2 * 2 * options.candidates  # names and words for ≤ 8 active + 8 retired


def test_key_terms_keep_names_and_drop_sentence_openers() -> None:
    text = (
        "Villages below Aldmoor dam told to prepare\n"
        "Residents of three villages below the Aldmoor dam were told to pack. "
        "Regional governor Ilse Marten said buses were ready. Pumps ran all night in Kellbrook."
    )
    assert key_terms(text) == {"aldmoor", "ilse", "marten", "kellbrook"}


def test_grouping_text_is_the_title_and_the_lead() -> None:
    article = Article(id="x", title="Dam cracks", text="One. Two. Three. Four.")
    assert grouping_text(article) == "Dam cracks. One. Two."
    assert grouping_text(article, sentences=3) == "Dam cracks. One. Two. Three."


def test_bad_vectors_and_unknown_stories_are_input_errors() -> None:
    index = StoryIndex()
    with pytest.raises(InputError, match="expected 384"):
        index.add(ArticleSignals("short", np.ones(3, dtype=np.float32), frozenset()))
    with pytest.raises(InputError, match="zero"):
        index.add(ArticleSignals("zero", np.zeros(DIMENSIONS, dtype=np.float32), frozenset()))
    with pytest.raises(InputError, match="no story"):
        index.story("s-missing")


def test_a_format_2_state_is_read_without_content_words(stream: Stream) -> None:
    signals, _ = stream
    index = StoryIndex(GroupingOptions(word_weight=0.5))
    index.add_all(signals[:10])
    old = index_to_dict(index)
    old["format"] = 2
    del old["word_df"], old["options"]["word_weight"]
    for story in old["stories"]:
        del story["words"]
    restored = index_from_dict(old)
    assert restored.options.word_weight == 0.0
    assert [s.article_ids for s in restored.stories()] == [s.article_ids for s in index.stories()]
    restored.add_all(signals[10:])  # and grouping goes on from it
    assert restored.story_of(signals[-1].id) is not None


def test_content_words_join_an_article_whose_lead_embeds_apart() -> None:
    words = frozenset({"budget", "deficit", "appropriations", "shutdown", "senate"})
    options = GroupingOptions(join=0.55, term_weight=0.0, word_weight=0.5)
    for weight, joins in ((0.5, True), (0.0, False)):
        index = StoryIndex(replace(options, word_weight=weight))
        for n in range(3):  # unrelated stories, so the shared words are rare across the stream
            index.add(ArticleSignals(f"other{n}", _unit((n + 2, 1.0)), frozenset(), words=frozenset({f"w{n}"})))
        first = index.add(ArticleSignals("budget-1", _unit((0, 1.0)), frozenset(), words=words))
        second = index.add(ArticleSignals("budget-2", _unit((0, 0.3), (1, 0.95)), frozenset(), words=words))
        assert (second.story == first.story) is joins


def test_shared_words_do_not_join_stories_that_share_no_name() -> None:
    words = frozenset({"strike", "walkout", "union", "pay", "picket"})
    index = StoryIndex(GroupingOptions(join=0.55, term_weight=0.5, word_weight=1.0))
    for n in range(3):
        index.add(ArticleSignals(f"other{n}", _unit((n + 2, 1.0)), frozenset({f"n{n}"}), words=frozenset({f"w{n}"})))
    lisbon = index.add(ArticleSignals("lisbon", _unit((0, 1.0)), frozenset({"lisbon", "tap"}), words=words))
    oslo = index.add(ArticleSignals("oslo", _unit((0, 0.3), (1, 0.95)), frozenset({"oslo", "ruter"}), words=words))
    assert oslo.story != lisbon.story  # worded alike, no name in common: two stories
    again = index.add(ArticleSignals("lisbon-2", _unit((0, 0.3), (1, 0.95)), frozenset({"lisbon"}), words=words))
    assert again.story == lisbon.story  # a shared name lets the shared words count


def test_a_long_story_keeps_only_its_most_used_words() -> None:
    index = StoryIndex(GroupingOptions(word_weight=1.0))
    common = frozenset({"ferry", "strike", "harbour"})
    for n in range(300):  # one story, each article adding two words of its own
        index.add(ArticleSignals(f"a{n}", _unit((0, 1.0)), frozenset({"salvin"}), words=common | {f"x{n}", f"y{n}"}))
    assert len(index) == 1
    saved = index_to_dict(index)["stories"][0]["words"]
    assert len(saved) <= 2 * STORY_WORDS
    assert all(saved[word] == 300 for word in common)  # the story's own vocabulary survives pruning


def test_naive_publication_times_are_taken_as_utc() -> None:
    index = StoryIndex()
    aware = index.add(ArticleSignals("aware", _unit((0, 1.0)), frozenset(), datetime(2025, 3, 1, 12, tzinfo=UTC)))
    naive = index.add(ArticleSignals("naive", _unit((0, 1.0)), frozenset(), datetime(2025, 3, 1, 18)))
    assert naive.story == aware.story
    assert index.story(aware.story).last_seen == datetime(2025, 3, 1, 18, tzinfo=UTC)


def test_a_date_far_in_the_future_is_clamped_and_retires_no_story(stream: Stream) -> None:
    signals, _ = stream
    fetched = datetime(2025, 3, 2, 9, tzinfo=UTC)
    typo = Article("typo", "Rescuers searched collapsed houses in Velmora.", published=datetime(2099, 3, 2, tzinfo=UTC))
    clamped = article_signals([replace(typo, fetched_at=fetched), typo], now=fetched + timedelta(hours=5))
    assert clamped[0].published == fetched + timedelta(days=1)
    assert clamped[1].published == fetched + timedelta(hours=5, days=1)  # no fetch time: bounded by now
    on_time = article_signals([replace(typo, published=fetched)], now=fetched)[0]
    assert on_time.published == fetched  # a plausible date is kept as it is

    dated = [s for s in signals if s.published is not None]
    index = StoryIndex()
    index.add_all(dated[:8])
    active = index.active_ids()
    newest = max(s.published for s in dated[:8] if s.published is not None)
    typo_signal = replace(clamped[0], published=grouping_date(replace(typo, fetched_at=newest), newest))
    index.add(typo_signal)
    assert set(active) <= set(index.active_ids())  # nothing retired by the typo
    unclamped = StoryIndex()
    unclamped.add_all(dated[:8])
    unclamped.add(replace(typo_signal, published=typo.published))
    assert not set(active) & set(unclamped.active_ids())  # what the clamp prevents


def test_old_stories_are_archived_so_the_state_stops_carrying_their_vectors() -> None:
    # 11 stories stay active (within 10 days of the newest), the 20 retired last stay findable.
    options = GroupingOptions(retention=timedelta(days=10), max_retired=20)
    index = StoryIndex(options)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(60):
        index.add(ArticleSignals(f"d{n}", _unit((n, 1.0)), frozenset({f"name{n}"}), start + timedelta(days=n)))
    saved = index_to_dict(index)
    assert [s["id"] for s in saved["stories"] if s["total"]] == [story_id(f"d{n}") for n in range(29, 60)]
    assert len(index) == 60 and index.story(story_id("d0")).article_ids == ("d0",)
    # A late article about an archived story starts a new one; about a retired story, it joins.
    late_old = index.add(ArticleSignals("late0", _unit((0, 1.0)), frozenset({"name0"}), start + timedelta(hours=1)))
    assert late_old.created
    when = start + timedelta(days=40, hours=1)
    assert index.add(ArticleSignals("late40", _unit((40, 1.0)), frozenset({"name40"}), when)).story == story_id("d40")
    restored = index_from_dict(json.loads(json.dumps(index_to_dict(index))))
    assert index_to_dict(restored) == index_to_dict(index)


def test_a_shuffled_late_arrival_joins_a_story_far_older_than_the_newest_date_with_bounded_state() -> None:
    options = GroupingOptions(retention=timedelta(days=10), max_active=8, max_retired=6)
    index = StoryIndex(options)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    index.add(ArticleSignals("early", _unit((0, 1.0)), frozenset({"velmora"}), start))
    # The stream jumps 200 days ahead (a shuffle) before the early story's follow-up arrives.
    for n in range(1, 4):
        when = start + timedelta(days=200 + n)
        index.add(ArticleSignals(f"j{n}", _unit((n * 4, 1.0)), frozenset({f"name{n}"}), when))
    late = index.add(ArticleSignals("late", _unit((0, 1.0)), frozenset({"velmora"}), start + timedelta(days=1)))
    assert late.story == story_id("early") and not late.created
    # Many more arrivals: the number of stories still carrying a vector stays bounded by count.
    for n in range(4, 80):
        index.add(ArticleSignals(f"j{n}", _unit((n * 4, 1.0)), frozenset({f"name{n}"}), start + timedelta(days=n * 5)))
        carrying = [s for s in index_to_dict(index)["stories"] if s["total"]]
        assert len(carrying) <= options.max_active + options.max_retired
    assert index.story(story_id("early")).article_ids == ("early", "late")
    assert index.add(
        ArticleSignals("later", _unit((0, 1.0)), frozenset({"velmora"}), start + timedelta(days=2))
    ).created  # the early story was retired long ago in arrival order: archived


def test_a_wire_copy_joins_its_originals_story_whatever_it_scores() -> None:
    for learned in (False, True):
        index = StoryIndex(GroupingOptions(learned=learned))
        original = index.add(ArticleSignals("wire", _unit((0, 1.0)), frozenset({"fairhollow"})))
        index.add(ArticleSignals("other", _unit((1, 1.0)), frozenset({"kestrel"})))
        # A copy whose text the outlet rewrote past recognition (orthogonal vector, other names) still follows it.
        copy = index.add(ArticleSignals("reprint", _unit((1, 1.0)), frozenset({"kestrel"}), copy_of="wire"))
        assert copy.story == original.story and not copy.created
        stray = index.add(ArticleSignals("orphan", _unit((2, 1.0)), frozenset(), copy_of="never-seen"))
        assert stray.created  # an original never placed: matched as any article
