"""Audit: trace each sentence of a stitched article to its source span and report what is wrong with it."""

from __future__ import annotations

from collections.abc import Sequence

from newsroundup.annotate.aliases import BUILTIN_ALIASES, AliasTable
from newsroundup.audit.aliases import alias_defects
from newsroundup.audit.checker import audit_problems, check_audit
from newsroundup.audit.defects import dangling_reference, edit_defects, off_topic
from newsroundup.audit.provenance import SentenceIndex, align, copies_of, paraphrases
from newsroundup.audit.stale import stale_defects
from newsroundup.model import Article, Audit, AuditSentence, Defect, Source
from newsroundup.text.sentences import split_sentences
from newsroundup.version import __version__

__all__ = ["audit", "audit_problems", "check_audit"]

METHOD = (
    "char n-gram TF-IDF candidates + word alignment, then the same-fact model for untraced sentences; "
    "defects from edits, source context and topic overlap"
)


def audit(article: Article, sources: Sequence[Article], aliases: AliasTable = BUILTIN_ALIASES) -> Audit:
    """Where each sentence of ``article`` came from among ``sources``, and its defects.

    A source with the same text as the article (the article itself) is left out, with a warning.
    ``aliases``: the alias sets the ``aliases`` defect looks for (the built-in ones, or a user's alias file).
    """
    warnings = []
    pool = []
    for source in sources:
        if source.text.strip() == article.text.strip() or source.id == article.id:
            warnings.append(f"source {source.id!r} is the audited article itself; left out")
        else:
            pool.append(source)
    index = SentenceIndex(pool)
    spans = split_sentences(article.text)
    texts = [article.text[s.start : s.end] for s in spans]
    candidates = index.candidates(texts)
    found = [align(text, index, near) for text, near in zip(texts, candidates, strict=True)]
    found = paraphrases(texts, found, index, candidates)
    topics = off_topic(texts, found, index)
    named = alias_defects(texts, found, index, aliases)
    old = stale_defects(found, index)
    sentences = []
    for number, (span, text, alignment) in enumerate(zip(spans, texts, found, strict=True)):
        defects: list[Defect] = []
        if alignment.span is None:
            defects.append(Defect("no_source", "no source carries this sentence"))
        defects.extend(edit_defects(alignment, text))
        before = texts[number - 1] if number else ""
        dangling = dangling_reference(alignment, text, before, found[:number], index)
        if dangling:
            defects.append(dangling)
        if topics[number]:
            defects.append(topics[number])  # type: ignore[arg-type]
        for extra in (named[number], old[number]):
            if extra is not None:
                defects.append(extra)
        sentences.append(
            AuditSentence(
                text=text,
                start=span.start,
                end=span.end,
                source=alignment.span,
                match=alignment.match,
                score=alignment.score,
                copies=copies_of(index, alignment),
                defects=tuple(defects),
            )
        )
    listed = tuple(Source(a.id, a.outlet, a.title, a.url, a.published, a.syndicated_from) for a in pool)
    return Audit(
        article=article.id,
        text=article.text,
        sentences=tuple(sentences),
        sources=listed,
        method=METHOD,
        version=__version__,
        warnings=tuple(warnings),
    )
