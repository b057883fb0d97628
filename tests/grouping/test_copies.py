"""Syndication: wire copies, light rewrites and retitled copies found; independent reports kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroundup.grouping.copies import Signature, SyndicationIndex, containment, is_copy, jaccard, signature_of

WIRE = (
    "Rescue teams in the mountain town of Velmora pulled eleven climbers to safety on Saturday after an "
    "avalanche buried part of the north trail, the regional mountain service said. Two of the climbers "
    "were taken by helicopter to the hospital in Dunmere with broken legs, and the others walked down "
    "with the rescuers before dark. The service had warned on Friday that fresh snow and warm winds made "
    "the slopes above the town unstable, and it asked walkers to stay on the marked valley paths until "
    "the weather turned colder. Mayor Edda Solberg thanked the volunteers, saying that the town owed "
    "them a debt it could never fully repay, and promised new warning signs at every trailhead."
)
REWRITE = (
    "Rescue teams in the mountain town of Velmora brought eleven climbers to safety on Saturday after an "
    "avalanche buried part of the north trail, the regional mountain service said. Two of the climbers "
    "were flown by helicopter to the hospital in Dunmere with broken legs, and the rest walked down "
    "with the rescuers before nightfall. The service had warned on Friday that fresh snow and warm winds "
    "made the slopes above the town unstable, and it asked hikers to stay on the marked valley paths."
)
INDEPENDENT = (
    "Eleven climbers are safe after Saturday's avalanche near Velmora, but residents say the warnings came "
    "too late. \"We knew the north trail was dangerous,\" said guesthouse owner Piet Ravn, who watched the "
    "helicopter land twice in the valley. Mayor Edda Solberg thanked the volunteers and promised new "
    "signs. Local guides have asked for the trail to be closed for the rest of the season, and the "
    "council will discuss the request at its meeting on Thursday, a spokeswoman confirmed."
)


def day(n: int) -> datetime:
    return datetime(2026, 2, n, 8, tzinfo=UTC)


def test_copies_and_rewrites_match_independent_reports_do_not() -> None:
    wire, rewrite, other = signature_of(WIRE), signature_of(REWRITE), signature_of(INDEPENDENT)
    assert is_copy(wire, signature_of(WIRE + " Copyright Northern Wire."))
    assert is_copy(wire, rewrite) and containment(wire, rewrite) > 0.8
    assert not is_copy(wire, other) and jaccard(wire, other) < 0.2


def test_copies_link_to_the_earliest_even_when_it_arrives_last() -> None:
    index = SyndicationIndex()
    assert index.link("post", signature_of(WIRE), day(3)) == {"post": None}
    assert index.link("independent", signature_of(INDEPENDENT), day(2)) == {"independent": None}
    assert index.link("daily", signature_of(REWRITE), day(4)) == {"daily": "post"}
    changes = index.link("wire", signature_of(WIRE), day(1))  # the original turns up late
    assert changes == {"wire": None, "post": "wire", "daily": "wire"}
    assert index.original_of("daily") == "wire" and index.original_of("independent") is None


def test_stored_links_are_loaded_without_matching_and_signatures_round_trip() -> None:
    signature = signature_of(WIRE)
    restored = Signature.from_bytes(signature.to_bytes(), signature.shingles)
    assert jaccard(signature, restored) == 1.0
    index = SyndicationIndex()
    index.load("wire", restored, day(1), None)
    index.load("post", restored, day(2), "wire")
    assert len(index) == 2 and "post" in index and index.original_of("post") == "wire"
    assert index.link("daily", signature_of(REWRITE), day(5)) == {"daily": "wire"}


def test_empty_text_matches_nothing() -> None:
    index = SyndicationIndex()
    assert index.link("a", signature_of(""), None) == {"a": None}
    assert index.link("b", signature_of(""), None) == {"b": None}


def test_many_near_identical_items_all_point_to_the_earliest_even_when_it_arrives_last() -> None:
    from datetime import UTC, datetime, timedelta

    from newsroundup.grouping.copies import LSH_MEMBERS_PER_GROUP, mark_copies
    from newsroundup.model import Article as _Article

    body = (
        "The Harrow Point bridge was closed to all traffic on Tuesday after engineers found a crack in one of its "
        "steel girders, and the mayor said the closure would last at least three weeks while inspectors examine "
        "the rest of the structure and commuters are sent to the ferry, which adds four crossings a day."
    )
    start = datetime(2026, 5, 4, tzinfo=UTC)
    n = 6 * LSH_MEMBERS_PER_GROUP
    items = [
        _Article(id=f"item-{i:03d}", text=f"Update number {i} arrived. {body}", published=start + timedelta(minutes=i))
        for i in range(n)
    ]
    marked = {a.id: a.syndicated_from for a in mark_copies(items[1:] + items[:1])}  # the earliest comes last
    assert marked["item-000"] is None
    assert all(marked[f"item-{i:03d}"] == "item-000" for i in range(1, n))


def test_signatures_equal_datasketchs_own_so_stored_ones_stay_comparable() -> None:
    """signature_of hashes shingles in one buffer with shared permutations; the values must be those
    datasketch computes itself (and stores written by earlier versions hold)."""
    from datasketch import MinHash

    from newsroundup.grouping.copies import NUM_PERM, SEED, shingles

    for text in (WIRE, REWRITE, INDEPENDENT, "one two", "Ünïcode wörds, and 1,000 numbers: ½ ²"):
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
        reference.update_batch(list(shingles(text)))
        signature = signature_of(text)
        assert signature.hashvalues.tolist() == reference.hashvalues.tolist()
        assert signature.shingles == len(shingles(text))
