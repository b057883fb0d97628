"""``add`` on JSONL that Python's parser or our records cannot use: each bad line fails alone."""

from __future__ import annotations

import json
from pathlib import Path

from newsroundup.pipeline.add import add_sources
from newsroundup.store import Store

GOOD = [
    {"id": f"good-{n}", "outlet": "Harbour Times", "text": f"The harbour reopened on day {n} after the storm passed."}
    for n in range(3)
]
BAD = [
    '{"id": "huge", "n": ' + "9" * 5000 + ', "text": "x"}',
    '{"id": "deep", "x": ' + "[" * 5000 + "]" * 5000 + ', "text": "x"}',
    '{"id": "surrogate", "text": "bad \\ud800 text"}',
    '{"id": "old", "published": "0001-01-01T00:00:00+14:00", "text": "An article dated before dates began."}',
    '{"id": ["a"], "text": "An article whose id is a list."}',
]


def test_bad_lines_fail_one_by_one_and_every_good_line_is_stored(tmp_path: Path) -> None:
    lines = [json.dumps(GOOD[0]), *BAD[:3], json.dumps(GOOD[1]), *BAD[3:], json.dumps(GOOD[2])]
    source = tmp_path / "items.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(source)], store)
        stored = {a.id for a in store.articles()}
    assert stored == {g["id"] for g in GOOD}
    assert len(report.failures) == len(BAD)
    for failure in report.failures:
        assert "items.jsonl:" in failure and "\n" not in failure and "unexpected" not in failure
