"""The ``summarize`` command as users run it: formats, batch mode and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.model import Article, RoundupSentence, Span
from newsroundup.pipeline.load import load_articles


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsroundup", *args], capture_output=True, text=True, timeout=120
    )


def test_markdown_roundup_of_the_example_story(example_story: Path) -> None:
    done = _run("summarize", str(example_story))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("# ")
    assert "[1]" in out
    assert "## Sources (4 independent outlets, 6 articles)" in out
    # the one id rule of every command: an article is known by its canonical URL (here from front matter)
    assert "copy of https://continental-press.example/2026/03/10/hollins-dam-evacuation" in out


def test_json_roundup_matches_its_sources(example_story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(example_story), "--format", "json", "--words", "150"]) == 0
    roundup = json.loads(capsys.readouterr().out)
    texts = {a.id: a.text for a in load_articles([example_story]).articles}
    assert roundup["words"] <= 150
    assert {"headline", "sentences", "sources", "words"} <= roundup.keys()
    for sentence in roundup["sentences"]:
        src = sentence["source"]
        assert sentence["rewritten"] is False
        assert texts[src["article"]][src["start"] : src["end"]] == sentence["text"]


def test_html_roundup_shows_each_cited_sentence_in_context(
    example_story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summarize", str(example_story), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.count("<mark>") >= 2
    assert "#:~:text=" in page
    assert "<script" not in page


def test_hostile_article_text_renders_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsroundup.model import Roundup, Source
    from newsroundup.render.html import render_html

    text = 'Officials said <script>alert(1)</script> and <img src=x onerror="alert(2)"> were found.'
    article = Article("evil", text, url="javascript:alert(3)", title="<b>bold</b>")
    roundup = Roundup(
        story="s",
        headline="<script>alert(4)</script>",
        sentences=(RoundupSentence(text, Span("evil", 0, len(text))),),
        sources=(Source("evil", "<i>x</i>", article.title, article.url),),
        method="test",
        version="1",
    )
    page = render_html(roundup, [article])
    assert "<script>alert" not in page and "onerror=\"alert" not in page
    assert "javascript:" not in page
    assert "&lt;script&gt;" in page


def test_batch_mode_writes_one_json_line_per_cluster(tmp_path: Path, example_story: Path) -> None:
    articles = load_articles([example_story]).articles
    docs = [{"id": a.id, "text": a.text, "title": a.title} for a in articles]
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text(
        json.dumps({"id": "dam", "documents": docs})
        + "\n"
        + "not json\n"
        + json.dumps({"id": "half", "documents": [{"title": "no text"}, docs[0]]})
        + "\n",
        encoding="utf-8",
    )
    done = _run("summarize", "--clusters", str(clusters), "--words", "80")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["cluster"] for line in lines] == ["dam", "half"]
    for line in lines:
        assert line["summary"] == "\n".join(s["text"] for s in line["roundup"]["sentences"])
        assert line["roundup"]["words"] <= 80
    assert "clusters.jsonl:2: not valid JSON" in done.stderr
    assert "half, document 1: record has no 'text'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blob.txt", b"\x00\x01\x02binary\x00" * 50, "binary file"),
        ("nothing.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("bad.jsonl", b'{"title": "no body"}\n', "record has no 'text'"),
    ],
)
def test_unusable_input_is_one_clear_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = _run("summarize", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert message in done.stderr
    assert str(path) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_path_and_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["summarize", str(tmp_path)]) == 2
    assert "folder has no .txt, .html or .jsonl files" in capsys.readouterr().err


def test_usable_parts_are_summarized_with_a_warning_for_the_rest(
    tmp_path: Path, example_story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for src in example_story.iterdir():
        (folder / src.name).write_bytes(src.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "lines.jsonl").write_text('{"text": "x"}\n{not json}\n', encoding="utf-8")
    assert main(["summarize", str(folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# ")
    assert "empty.txt: file is empty" in captured.err
    assert "lines.jsonl:2: not valid JSON" in captured.err


def test_non_utf8_text_is_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.txt"
    body = (
        "Le barrage de Hollins a cédé mardi après trois jours de pluie à Port Averly. "
        "Les autorités ont évacué près de 12 000 habitants du quartier d'Eastbank mardi soir. "
        "Le gouverneur a promis une enquête indépendante sur l'état du barrage de Hollins."
    )
    path.write_bytes(body.encode("latin-1"))
    assert main(["summarize", str(path), "--format", "json"]) == 0
    roundup = json.loads(capsys.readouterr().out)
    assert any("évacué" in s["text"] for s in roundup["sentences"])


def test_a_5mb_article_is_cut_with_a_warning(tmp_path: Path) -> None:
    sentence = "Engineers said the spillway of the Hollins Dam was still eroding on Tuesday night. "
    paragraph = "".join(f"Crew {n} reported the water at gauge {n % 97} rising. " for n in range(40)) + sentence
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 5_000_000:
            out.write(paragraph + "\n\n")
    done = _run("summarize", str(path), "--words", "60")
    assert done.returncode == 0, done.stderr
    assert "used the first" in done.stderr
    assert done.stdout.startswith("# ")


def test_bad_budget_is_refused(capsys: pytest.CaptureFixture[str], example_story: Path) -> None:
    with pytest.raises(SystemExit):
        main(["summarize", str(example_story), "--words", "0"])
    assert "argument --words: 0 is out of range (1 to 1,000,000)" in capsys.readouterr().err


def test_enriched_roundup_has_cited_quotes_people_and_an_on_topic_timeline(
    example_story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = _run("summarize", str(example_story), "--enrich", "--format", "json")
    assert done.returncode == 0, done.stderr
    roundup = json.loads(done.stdout)
    texts = {a.id: a.text for a in load_articles([example_story]).articles}
    assert roundup["quotes"], "the example story is full of quotes"
    for quote in roundup["quotes"]:
        span = quote["span"]
        assert texts[span["article"]][span["start"] : span["end"]] == quote["text"]
        assert span["article"] != "coastline-gazette", "quotes are cited from the original, not the copy"
    assert "Elena Marchetti" in {e["name"] for e in roundup["entities"]}
    assert roundup["timeline"]
    for event in roundup["timeline"]:
        src = event["source"]
        assert texts[src["article"]][src["start"] : src["end"]] == event["text"]
        assert "book club" not in event["text"]
        assert not event["text"].startswith(("PORT AVERLY", "LINDELL"))
    assert main(["summarize", str(example_story), "--enrich"]) == 0
    markdown = capsys.readouterr().out
    assert "## Key quotes" in markdown and "## Who's who" in markdown and "## Timeline" in markdown
    assert "## Who said what" in markdown
    for statement in roundup["statements"]:  # reported speech, cited verbatim like a key quote
        span = statement["span"]
        assert statement["kind"] == "reported"
        assert texts[span["article"]][span["start"] : span["end"]] == statement["text"]
