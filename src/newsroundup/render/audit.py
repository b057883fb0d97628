"""The audit report: each sentence of an audited article with its source span, match kind and defects."""

from __future__ import annotations

import json

from newsroundup.model import Audit, Span, audit_to_json


def audit_line(audit: Audit) -> str:
    """One line a reader can act on: "17 of 25 sentences traced to 5 sources (4 outlets); 4 off topic; ..."."""
    summary = audit.summary
    parts = [
        f"{summary['traced']} of {summary['sentences']} sentences traced to {summary['sources_used']} sources "
        f"({summary['independent_outlets']} independent outlets)"
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


def render_audit(audit: Audit, fmt: str) -> str:
    """Render ``audit`` as ``md`` or ``json`` text."""
    if fmt == "json":
        return json.dumps(audit_to_json(audit), indent=2, ensure_ascii=False) + "\n"
    return render_audit_markdown(audit)
