"""``POST /api/v1/audit`` and ``audit --db``: a stitched text audited against the article store, read-only."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsroundup.cli import main
from newsroundup.model import Article
from newsroundup.store import Store
from newsroundup.web.app import create_app

WHEN = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
AFP = Article(
    "afp-1",
    "French Defence Minister Jean-Yves Le Drian met the Iraqi prime minister in Baghdad on Monday.\n\n"
    "He said France would send 200 more military advisers to train Iraqi forces.",
    outlet="AFP",
    title="Le Drian in Baghdad",
    published=WHEN,
)
OTHER = Article(
    "reuters-9",
    "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday.",
    outlet="Reuters",
    published=WHEN,
)
STITCHED = (
    "French Defence Minister Jean-Yves Le Drian met the Iraqi prime minister in Baghdad on Monday. "
    "He said France would send 300 more military advisers to train Iraqi forces. "
    "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday."
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Store(path) as store:
        for n, article in enumerate((AFP, OTHER)):
            store.save_article(article, fingerprint=f"f{n}", source="test")
    return path


def test_the_api_audits_a_text_against_the_store_without_storing_it(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        response = client.post("/api/v1/audit", json={"text": STITCHED, "title": "Advisers"})
        assert response.status_code == 200
        report = response.json()
        first, second, third = report["sentences"]
        assert first["match"] == "verbatim" and first["source"]["article"] == "afp-1"
        assert second["match"] == "edited" and "changed_fact" in {d["kind"] for d in second["defects"]}
        assert third["source"]["article"] == "reuters-9"
        assert client.post("/api/v1/audit", json={"text": ""}).status_code == 422
        assert client.post("/api/v1/audit", json={"text": "x" * 200_001}).status_code == 422
    with Store(db) as store:
        assert sorted(a.id for a in store.articles()) == ["afp-1", "reuters-9"]  # nothing was stored


def test_audit_with_db_finds_its_sources_in_the_store(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "stitched.txt"
    article.write_text(STITCHED)
    assert main(["audit", str(article), "--db", str(db), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["source"]["article"] for s in report["sentences"]] == ["afp-1", "afp-1", "reuters-9"]
    assert main(["audit", str(article)]) != 0
    assert "give --sources PATH... and/or --db PATH" in capsys.readouterr().err
