"""Invented DUC-style clusters (fictional towns, people and outlets) for the evaluation tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroundup.evaluate import cache as evaluation_cache

BRIDGE = [
    "The Harrow Point bridge in Marlow Bay was closed to all traffic on Tuesday after engineers found "
    "a crack in one of its steel girders. Mayor Elena Vostrikova said the closure would last at least "
    "three weeks while inspectors examine the rest of the structure. Commuters were told to use the ferry "
    "service, which added four extra crossings a day. The bridge carries about 30,000 vehicles daily. "
    "It opened in 1971 and was last repaired in 2009.",
    "Engineers discovered a two-meter crack in a main girder of the Harrow Point bridge, forcing officials "
    "in Marlow Bay to shut the span on Tuesday. The city's transport director, Tomas Brandl, said the crack "
    "was found during a routine inspection. Ferry operators reported long lines at the harbor terminal by "
    "Wednesday morning. Local businesses on the far side of the bay said they feared losing customers. "
    "The council will hold an emergency meeting on Thursday to approve repair funds.",
    "Marlow Bay's council approved 12 million crowns for emergency repairs to the Harrow Point bridge on "
    "Thursday. Mayor Elena Vostrikova said steel for the new girder had already been ordered. Inspectors "
    "found no other cracks in the structure, according to a report released by the city. The bridge is "
    "expected to reopen to cars within a month, but trucks will stay banned until the end of the year. "
    "But the opposition said the city had ignored warnings about the bridge for a decade.",
]
FESTIVAL = [
    "The Kestrel Valley lantern festival drew a record 85,000 visitors over the weekend, organizers said on "
    "Monday. The festival, held every autumn since 1952, features thousands of paper lanterns floated on "
    "the Kestrel river. Hotels in the valley were fully booked for the first time in years. Organizer "
    "Priya Anand said volunteers had made more than 20,000 lanterns by hand.",
    "A record crowd of 85,000 people attended the lantern festival in Kestrel Valley, according to the "
    "organizers. Police said the weekend passed without serious incidents, though traffic on the valley "
    "road was jammed for hours on Saturday night. The regional tourism office said the festival brought "
    "in an estimated 4 million crowns. Next year's festival will add a second launch site downstream.",
    "Residents of Kestrel Valley cleaned the riverbanks on Monday after the weekend's lantern festival. "
    "Environmental groups had urged organizers to switch to biodegradable lanterns, and this year all of "
    "them were made of rice paper. Volunteers collected about 300 bags of litter. Organizer Priya Anand "
    "thanked the visitors and said planning for next year had already begun.",
]
REFERENCES = {
    "x0001": [
        "Marlow Bay closed the Harrow Point bridge on Tuesday after engineers found a crack in a girder.\n"
        "Commuters used extra ferry crossings.\n"
        "The council approved 12 million crowns for repairs on Thursday.\n"
        "The bridge should reopen to cars within a month.",
        "A crack in a main girder shut the Harrow Point bridge in Marlow Bay.\n"
        "Inspectors found no other cracks.\n"
        "Repairs costing 12 million crowns were approved and trucks stay banned until the end of the year.",
    ],
    "x0002": [
        "A record 85,000 visitors attended the Kestrel Valley lantern festival.\nHotels were fully booked.\n"
        "All lanterns were made of rice paper and volunteers cleaned the riverbanks afterwards.",
        "The lantern festival in Kestrel Valley drew a record crowd of 85,000 people.\n"
        "The festival brought in an estimated 4 million crowns.\n"
        "A second launch site will be added next year.",
    ],
}
PEERS = {
    "FirstSentence": {
        "x0001": BRIDGE[0].split(". ")[0] + ".",
        "x0002": FESTIVAL[0].split(". ")[0] + ".",
    },
    "Unrelated": {
        "x0001": "Quarterly grain exports rose sharply.",
        "x0002": "Quarterly grain exports rose sharply.",
    },
}


def write_invented_duc(folder: Path) -> Path:
    """Write clusters.jsonl and peers.jsonl in the DUC 2004 format; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "clusters.jsonl").open("w", encoding="utf-8") as out:
        for cluster, texts in (("x0001", BRIDGE), ("x0002", FESTIVAL)):
            documents = [{"id": f"{cluster}/D{n}", "text": t} for n, t in enumerate(texts, start=1)]
            record = {"id": cluster, "documents": documents, "references": REFERENCES[cluster]}
            out.write(json.dumps(record) + "\n")
    with (folder / "peers.jsonl").open("w", encoding="utf-8") as out:
        for system, by_cluster in PEERS.items():
            for cluster, summary in by_cluster.items():
                out.write(json.dumps({"system": system, "cluster": cluster, "summary": summary}) + "\n")
    return folder


@pytest.fixture
def invented_texts() -> dict[str, list[str]]:
    """The article texts of the two invented clusters, by topic."""
    return {"bridge": BRIDGE, "festival": FESTIVAL}


@pytest.fixture
def invented_duc(tmp_path: Path) -> Path:
    """A DUC-format folder with two invented clusters and two invented peer systems."""
    return write_invented_duc(tmp_path / "duc2004")


@pytest.fixture
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Build ROUGE's database and punkt data once per test session, outside the user's cache."""
    folder = tmp_path_factory.getbasetemp() / "cache"
    monkeypatch.setenv("NEWSROUNDUP_CACHE", str(folder))  # for the command line, which reads its settings
    previous = evaluation_cache.configure(folder)  # for the functions called directly
    yield
    evaluation_cache.configure(previous)
