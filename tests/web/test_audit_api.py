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
    assert "give --against SOURCE... and/or --db PATH" in capsys.readouterr().err


def test_the_audit_page_audits_a_pasted_text_and_keeps_hostile_text_inert(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        form = client.get("/audit")
        assert form.status_code == 200 and '<form class="audit" action="/audit" method="post">' in form.text
        assert "default-src 'none'" in form.headers["content-security-policy"]
        assert 'href="/audit">Audit a text</a>' in client.get("/").text  # every served page links to it
        hostile = STITCHED + ' <script>alert(1)</script> "Go," <img src=x onerror=alert(2)> said the minister.'
        page = client.post("/audit", data={"text": hostile})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        body = page.text
        assert '<div class="sentence verbatim" id="s1">' in body and '<div class="sentence edited" id="s2">' in body
        assert "<strong>changed_fact</strong>" in body and "Le Drian in Baghdad" in body  # the source, by title
        assert "<script>" not in body and "<img" not in body and "&lt;script&gt;" in body
        assert "sentences traced to" in body and "changed fact" in body  # the summary line
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.split("</textarea>")[0]  # the text, kept in the form


def test_the_audit_page_answers_bad_posts_with_the_form_and_one_line(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        empty = client.post("/audit", data={"text": "   "})
        assert empty.status_code == 400 and 'class="error" role="alert">Paste a text to audit.' in empty.text
        long = client.post("/audit", data={"text": "word " * 40_001})
        assert long.status_code == 413 and "longer than 200,000 characters" in long.text
        huge = client.post("/audit", content=b"text=" + b"x" * 900_000,
                           headers={"content-type": "application/x-www-form-urlencoded"})
        assert huge.status_code == 413 and '<form class="audit"' in huge.text and "longer than 200,000" in huge.text
        nothing = client.post("/audit", content=b"\xff\xfe", headers={"content-type": "text/plain"})
        assert nothing.status_code == 400
    with Store(db) as store:
        assert sorted(a.id for a in store.articles()) == ["afp-1", "reuters-9"]  # nothing was stored
