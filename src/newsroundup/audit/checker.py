"""Enforce the audit's invariant: every span it cites exists, and every verbatim claim is verbatim."""

from __future__ import annotations

from collections.abc import Iterable

from newsroundup.errors import CheckError
from newsroundup.model import Article, Audit, Span


def audit_problems(audit: Audit, sources: Iterable[Article]) -> list[str]:
    """Every way ``audit`` breaks the invariant (empty when it holds)."""
    by_id = {a.id: a for a in sources}
    problems = []

    def bad_span(span: Span, what: str) -> None:
        article = by_id.get(span.article)
        if article is None:
            problems.append(f"{what}: cites unknown article {span.article!r}")
        elif not 0 <= span.start < span.end <= len(article.text):
            problems.append(f"{what}: span {span.start}-{span.end} is outside {span.article!r}")

    for number, sentence in enumerate(audit.sentences, start=1):
        where = f"sentence {number}"
        if audit.text[sentence.start : sentence.end] != sentence.text:
            problems.append(f"{where}: its text is not the audited text at {sentence.start}-{sentence.end}")
        if (sentence.source is None) != (sentence.match == "none"):
            problems.append(f"{where}: match {sentence.match!r} but source {sentence.source}")
        if sentence.source is not None:
            bad_span(sentence.source, where)
            article = by_id.get(sentence.source.article)
            if sentence.match == "verbatim" and article and sentence.source.text_in(article) != sentence.text:
                problems.append(f"{where}: claimed verbatim but differs from {sentence.source.article!r}")
        for copy in sentence.copies:
            bad_span(copy, f"{where} copy")
        for defect in sentence.defects:
            for span in defect.evidence:
                bad_span(span, f"{where} {defect.kind} evidence")
    listed = {s.article for s in audit.sources}
    cited = {s.source.article for s in audit.sentences if s.source is not None}
    missing = sorted(cited - listed)
    if missing:
        problems.append(f"cited articles missing from sources: {', '.join(missing)}")
    return problems


def check_audit(audit: Audit, sources: Iterable[Article]) -> None:
    """Raise ``CheckError`` naming every span of ``audit`` that does not hold."""
    problems = audit_problems(audit, sources)
    if problems:
        raise CheckError(f"audit of {audit.article!r} fails its check: " + "; ".join(problems))
