"""The audit report: each sentence of an audited article with its source span, match kind and defects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsroundup.model import Article, Audit, Span, audit_to_json
from newsroundup.render.html import citation, safe_url
from newsroundup.render.links import Links
from newsroundup.render.pages import render_page
from newsroundup.render.templates import environment


def audit_line(audit: Audit) -> str:
    """One line a reader can act on: "17 of 25 sentences traced to 5 sources (4 outlets); 4 off topic; ..."."""
    summary = audit.summary
    used, outlets = summary["sources_used"], summary["independent_outlets"]
    parts = [
        f"{summary['traced']} of {summary['sentences']} sentences traced to {used} source{'s' * (used != 1)} "
        f"({outlets} independent outlet{'s' * (outlets != 1)})"
    ]
    parts += [f"{count} {kind.replace('_', ' ')}" for kind, count in summary["defects"].items()]
    return "; ".join(parts)


def _where(span: Span) -> str:
    return f"`{span.article}` {span.start}–{span.end}"


def render_audit_markdown(audit: Audit) -> str:
    """The audit as Markdown for the terminal."""
    lines = [f"# Audit of {audit.article}", "", audit_line(audit), ""]
    for number, sentence in enumerate(audit.sentences, start=1):
        source = _where(sentence.source) if sentence.source else "no source"
        lines.append(f"{number}. {sentence.text}")
        lines.append(f"   - {sentence.match} ({sentence.score:.2f}): {source}")
        if sentence.copies:
            lines.append("   - also in: " + ", ".join(_where(c) for c in sentence.copies))
        for defect in sentence.defects:
            evidence = "; see " + ", ".join(_where(e) for e in defect.evidence) if defect.evidence else ""
            lines.append(f"   - **{defect.kind}**: {defect.detail}{evidence}")
    lines += ["", "## Sources", ""]
    lines += [f"- `{s.article}`" + (f" ({s.outlet})" if s.outlet else "") for s in audit.sources]
    if audit.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in audit.warnings]
    return "\n".join(lines) + "\n"


def render_audit_html(audit: Audit, sources: Sequence[Article]) -> str:
    """A standalone page: the article sentence by sentence, each marked by its match kind and defects, each
    citation opening its source sentence (and every piece of evidence) in context; the sources by outlet."""
    return environment().get_template("audit.html").render(_report(audit, sources), embedded=False)


def render_audit_page(
    links: Links, text: str, max_chars: int, audit: Audit | None = None, sources: Sequence[Article] = (),
    error: str | None = None,
) -> str:
    """The server's audit page: the form with ``text``, then its audit (or the one-line ``error``)."""
    report = _report(audit, sources) if audit is not None else {"audit": None}
    return render_page(
        "audit_page.html", links, title="Audit a text", text=text, max_chars=max_chars, error=error,
        embedded=True, **report,
    )


def _report(audit: Audit, sources: Sequence[Article]) -> dict[str, Any]:
    """What the audit report shows: the summary line, each sentence with its cited spans, sources by outlet."""
    by_id = {a.id: a for a in sources}
    numbers: dict[str, int] = {}
    for source in audit.sources:
        numbers.setdefault(source.article, len(numbers) + 1)

    def cited(span: Span) -> dict[str, Any]:
        article = by_id.get(span.article)
        context = citation(span, article, numbers.get(span.article, 0), safe_url(article.url if article else None))
        return {"context": context, "label": (article.outlet if article else None) or span.article}

    sentences = [
        {
            "n": n,
            "sentence": sentence,
            "source": cited(sentence.source) if sentence.source else None,
            "defects": [(d, [cited(e) for e in d.evidence]) for d in sentence.defects],
        }
        for n, sentence in enumerate(audit.sentences, start=1)
    ]
    outlets: dict[str, list[dict[str, Any]]] = {}
    for source in audit.sources:
        outlets.setdefault(source.outlet or "(no outlet)", []).append(
            {"n": numbers[source.article], "source": source, "url": safe_url(source.url)}
        )
    return {"audit": audit, "line": audit_line(audit), "sentences": sentences, "outlets": outlets}


def render_audit(audit: Audit, fmt: str, sources: Sequence[Article] = ()) -> str:
    """Render ``audit`` as ``md``, ``json`` or ``html`` (which shows ``sources`` in context) text."""
    if fmt == "json":
        return json.dumps(audit_to_json(audit), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return render_audit_html(audit, sources)
    return render_audit_markdown(audit)
