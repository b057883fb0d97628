"""The spaCy pipeline: loaded once per process, batched, offsets into the original text."""

from __future__ import annotations

import time
from typing import Any

from newsroundup.annotate.nlp import load_nlp, parse_texts


def test_the_pipeline_is_loaded_once(nlp: object) -> None:
    assert load_nlp() is nlp


def test_parsed_offsets_match_the_input_text(nlp: object) -> None:
    texts = ["“We will rebuild,” said Mayor Ana Ferreira.", "", "The ``wire'' style."]
    docs = parse_texts(texts)
    assert len(docs) == 3
    for text, doc in zip(texts, docs, strict=True):
        for token in doc:
            assert text[token.idx : token.idx + len(token.text)] == token.text
    assert any(ent.label_ == "PERSON" and ent.text.endswith("Ana Ferreira") for ent in docs[0].ents)


def test_nothing_to_parse_loads_nothing() -> None:
    assert parse_texts([]) == []


def test_parts_of_speech_match_the_models_own_attribute_ruler(nlp: object) -> None:
    texts = [
        "There is nothing he has not tried, but she said that it was over.\n\n"
        "  Nobody had been told whether the ferries would run, so they waited.",
        "Did they? “I have,” the minister said. Those who left were given something to eat.",
        "\n",
    ]
    ours = parse_texts(texts)
    spacys = list(load_nlp().pipe(texts))  # every component, the attribute ruler included
    for mine, reference in zip(ours, spacys, strict=True):
        assert [(t.pos_, t.tag_, t.dep_) for t in mine] == [(t.pos_, t.tag_, t.dep_) for t in reference]
    assert {t.pos_ for doc in ours for t in doc} >= {"AUX", "PRON", "SCONJ", "PART", "SPACE", "VERB"}


def test_large_inputs_shared_with_the_helper_process_parse_exactly_as_here(nlp: object) -> None:
    from newsroundup.annotate import nlp as module
    from newsroundup.annotate import parses

    previous = parses.configure(parses.CacheSettings(memory_bytes=0))  # every call parses: nothing is kept
    try:
        _helper_parses_as_here(module)
    finally:
        parses.configure(previous)


def _helper_parses_as_here(module: Any) -> None:
    paragraph = (
        "Regional council leader Tomas Reiner said on Monday that the council would review the ferry "
        "contract. “We will not be held to ransom,” he said. Bellweather Ferries, which runs the route, "
        "declined to comment, but its chief executive, Damon Achterberg, told the Harbor Times the offer stood. "
    )
    texts = [paragraph * (6 + n % 4) + f"Report {n}." for n in range(8)]
    assert sum(map(len, texts)) >= module._HELPER_MIN_CHARS
    helper = module._helper()
    if helper is None:
        import pytest

        pytest.skip("one core or the helper is turned off: nothing is shared")
    here = module._pipe(texts)  # this process alone, as parse_texts does without the helper
    rules = module._pos_rules()
    if rules is not None:
        rules.apply(here)
    deadline = time.monotonic() + 60
    while not helper.ready():
        parse_texts(texts)  # the helper is loading: this process parses alone meanwhile
        assert time.monotonic() < deadline, "the parse helper did not start"
        time.sleep(0.2)
    shared = parse_texts(texts)
    assert not helper._broken

    def tokens(doc: Any) -> list[tuple[object, ...]]:
        return [
            (t.idx, t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc
        ]

    assert [d.text for d in shared] == texts
    assert [tokens(d) for d in shared] == [tokens(d) for d in here]

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:  # threads at once: one uses the helper, the others parse alone
        results = list(pool.map(parse_texts, [texts, texts[::-1], texts]))
    assert [tokens(d) for d in results[0]] == [tokens(d) for d in here]
    assert [tokens(d) for d in results[1]] == [tokens(d) for d in here[::-1]]
    assert [tokens(d) for d in results[2]] == [tokens(d) for d in here]
    assert not helper._broken


def test_texts_parsed_ahead_by_the_helper_are_found_in_the_cache_as_parsed_here(
    nlp: object, monkeypatch: Any
) -> None:
    from newsroundup.annotate import nlp as module
    from newsroundup.annotate import parses

    previous = parses.configure(parses.CacheSettings())  # a cache of this test's own
    try:
        said = "said on Monday that the bridge would reopen. “It is safe,” she said."
        texts = [f"Mayor Ann Lee{n} {said}" for n in range(5)]
        here = module._pipe(texts)
        rules = module._pos_rules()
        if rules is not None:
            rules.apply(here)
        helper = module._helper()
        if helper is None:
            import pytest

            pytest.skip("one core or the helper is turned off: nothing is parsed ahead")
        deadline = time.monotonic() + 60
        while not helper.ready():
            assert module.parse_ahead(texts) is None  # still loading: nothing handed over
            assert time.monotonic() < deadline, "the parse helper did not start"
            time.sleep(0.2)
        ahead = module.parse_ahead([*texts, texts[0]])
        assert ahead is not None and module.parse_ahead(texts) is None  # busy until kept
        ahead.keep()
        ahead.keep()  # once only

        def not_again(_texts: Any) -> Any:
            raise AssertionError("parsed again instead of read from the cache")

        monkeypatch.setattr(module, "_parse", not_again)
        cached = parse_texts(texts)
        assert [[(t.idx, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in cached] == [
            [(t.idx, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in here]
        assert module.parse_ahead(texts) is None  # every text cached: nothing to hand over
    finally:
        parses.configure(previous)
