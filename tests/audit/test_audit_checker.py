"""The audit checker: every cited span must exist and every verbatim claim must be verbatim."""

from __future__ import annotations

import dataclasses

import pytest

from newsroundup.audit import audit, audit_problems, check_audit
from newsroundup.errors import CheckError
from newsroundup.model import Article, Span


def test_a_false_verbatim_claim_and_an_unknown_source_are_caught(sources: list[Article]) -> None:
    result = audit(Article("x", "The minister then flew to Erbil to meet Kurdish leaders."), sources)
    check_audit(result, sources)
    sentence = result.sentences[0]
    wrong = dataclasses.replace(sentence, source=Span("afp", 0, 20))
    forged = dataclasses.replace(result, sentences=(wrong,))
    assert any("claimed verbatim" in p for p in audit_problems(forged, sources))
    unknown = dataclasses.replace(result, sentences=(dataclasses.replace(sentence, source=Span("nope", 0, 5)),))
    with pytest.raises(CheckError, match="unknown article 'nope'"):
        check_audit(unknown, sources)
