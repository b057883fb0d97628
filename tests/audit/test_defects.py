"""Defects with their evidence: the ones an editor would see in a stitched article."""

from __future__ import annotations

from newsroundup.audit import audit, check_audit
from newsroundup.model import Article, Audit

STITCHED = (
    "French foreign minister Jean-Yves Le Drian arrived in Baghdad on Monday for talks on the fight against Daesh. "
    '"We will not give up," al-Abadi told reporters after the meeting. '
    "Iraqi prime minister Haider al-Abadi thanked France for its help, his office said. "
    # "He" is Le Drian in the source, but here it follows a sentence about al-Abadi.
    "He said France would send 300 more advisers to train Iraqi forces fighting Daesh. "
    "The minister then flew to Erbil to meet Kurdish leaders. "
    "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday. "
    "Iraqi prime minister Hayder al-Abdi thanked France for its help, his office said. "
    "A spokesman for the embassy declined to comment on the matter."
)


def _audited(sources: list[Article]) -> Audit:
    result = audit(Article("stitched", STITCHED), sources)
    check_audit(result, sources)
    return result


def _kinds(result: Audit, number: int) -> set[str]:
    return {d.kind for d in result.sentences[number].defects}


def test_each_planted_defect_is_found_and_clean_sentences_stay_clean(sources: list[Article]) -> None:
    result = _audited(sources)
    assert _kinds(result, 0) == set()
    assert _kinds(result, 1) == {"misattributed_quote"}
    assert _kinds(result, 2) == set()
    assert _kinds(result, 3) == {"changed_fact", "dangling_reference"}
    assert "off_topic" in _kinds(result, 5)
    assert "misspelling" in _kinds(result, 6)
    assert "no_source" in _kinds(result, 7)


def test_evidence_points_at_what_the_source_says(sources: list[Article]) -> None:
    result = _audited(sources)
    by_id = {a.id: a for a in sources}
    quote = next(d for d in result.sentences[1].defects if d.kind == "misattributed_quote")
    assert [e.text_in(by_id[e.article]) for e in quote.evidence] == ["Le Drian"]
    spelling = next(d for d in result.sentences[6].defects if d.kind == "misspelling")
    assert spelling.evidence[0].text_in(by_id["reuters"]).startswith("Haider")
    dangling = next(d for d in result.sentences[3].defects if d.kind == "dangling_reference")
    assert "Le Drian" in dangling.evidence[0].text_in(by_id["afp"])


def test_pronoun_kept_with_its_source_sentence_is_not_dangling(sources: list[Article]) -> None:
    text = sources[0].text.split(". ", 2)
    article = Article("kept", ". ".join(text[:2]) + ".")
    result = audit(article, sources)
    assert all(not s.defects for s in result.sentences)


def test_summary_counts_traced_sentences_and_defects(sources: list[Article]) -> None:
    summary = _audited(sources).summary
    assert summary["sentences"] == 8
    assert summary["traced"] == 7
    assert summary["defects"]["no_source"] == 1
