"""Finding and loading DUC-format data, with clear errors for missing or malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.errors import DataError
from newsroundup.evaluate.datasets import load_duc2004, locate_duc2004
from newsroundup.settings import load_settings


def test_loads_clusters_in_order_with_peers(invented_duc: Path) -> None:
    data = load_duc2004(invented_duc)
    assert [c.id for c in data.clusters] == ["x0001", "x0002"]
    first = data.clusters[0]
    assert [a.id for a in first.articles] == ["x0001/D1", "x0001/D2", "x0001/D3"]
    assert first.articles[0].text.startswith("The Harrow Point bridge")
    assert len(first.references) == 2
    assert set(data.peers) == {"FirstSentence", "Unrelated"}
    assert set(data.peers["Unrelated"]) == {"x0001", "x0002"}


def test_limit_keeps_the_first_clusters_and_their_peer_summaries(invented_duc: Path) -> None:
    data = load_duc2004(invented_duc, limit=1)
    assert [c.id for c in data.clusters] == ["x0001"]
    assert set(data.peers["Unrelated"]) == {"x0001"}
    with pytest.raises(DataError, match="positive"):
        load_duc2004(invented_duc, limit=0)


def test_data_folder_from_parent_and_settings(invented_duc: Path) -> None:
    assert locate_duc2004(invented_duc.parent) == invented_duc
    settings = load_settings({"NEWSROUNDUP_DATA": str(invented_duc.parent)})
    assert locate_duc2004(settings.data) == invented_duc


def test_missing_data_names_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        locate_duc2004(tmp_path / "nowhere")
    message = str(caught.value)
    assert "DUC 2004 data not found" in message and str(tmp_path / "nowhere") in message
    assert "--data" in message and "\n" not in message


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "clusters.jsonl:2: not valid JSON"),
        ("[1, 2]", "clusters.jsonl:2: expected a JSON object"),
        ('{"id": "x9", "references": ["r"]}', "has no 'documents' list"),
        ('{"id": "x9", "documents": [{"text": "A b."}]}', "needs 'references'"),
        (
            '{"id": "x9", "documents": [{"id": "d"}], "references": ["r"]}',
            "document x9/D1: record has no 'text'",
        ),
        ('{"id": "x0001", "documents": [{"text": "A b."}], "references": ["r"]}', "appears twice"),
    ],
)
def test_malformed_clusters_name_the_line_and_problem(invented_duc: Path, line: str, problem: str) -> None:
    path = invented_duc / "clusters.jsonl"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(first + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=problem.replace("(", r"\(").replace("[", r"\[")):
        load_duc2004(invented_duc)


def test_malformed_or_missing_peers(invented_duc: Path) -> None:
    peers = invented_duc / "peers.jsonl"
    peers.write_text(json.dumps({"system": "A", "cluster": "x0001", "summary": 3}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"peers\.jsonl:1: 'summary' must be a string"):
        load_duc2004(invented_duc)
    peers.unlink()
    with pytest.raises(DataError, match="published peer summaries are missing"):
        load_duc2004(invented_duc)


def test_not_utf8(invented_duc: Path) -> None:
    (invented_duc / "clusters.jsonl").write_bytes(b'{"id": "\xff"}\n')
    with pytest.raises(DataError, match="not UTF-8"):
        load_duc2004(invented_duc)


def test_a_document_that_is_all_page_furniture_is_left_out_and_the_others_keep_their_ids(tmp_path: Path) -> None:
    from newsroundup.evaluate.datasets import load_clusters

    record = {"id": "c1", "references": ["A summary."], "documents": [
        {"text": "The council voted on Tuesday to close the old ferry terminal, the mayor said."},
        {"text": ";"},
        {"text": "Ferry crews said on Wednesday they would strike over the closure of the terminal."},
    ]}
    path = tmp_path / "clusters.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (cluster,) = load_clusters(path)
    assert [a.id for a in cluster.articles] == ["c1/D1", "c1/D3"]
    path.write_text(json.dumps({**record, "documents": [{"text": ";"}]}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="no document with article text"):
        load_clusters(path)

