"""Who's who on real multi-source web news (Multi-News dev): the people of a few stories, to read.

For each chosen cluster (default: mnv001-mnv023, odd numbers; mnv001-015 were read while the
rules were written, mnv017-023 only after) runs ``group_entities`` over its articles and writes
every person with aliases and
role lines, plus counts (persons, role lines per person, persons with more than two role lines,
one-word persons) to benchmarks/results/whoswho.json. Split persons and furniture entities are
counted by reading the list (see BENCHMARKS.md); the counts here are the mechanical part, with one split
that needs no reading: a name (or alias) held by two entries of one story ("Pelosi" a place beside
"Nancy Pelosi"; "White House" an organisation and a place), per cluster and in total.

    .venv/bin/python benchmarks/bench_whoswho.py [--clusters mnv001,mnv003|mnv180-mnv219] [--data FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsroundup.annotate.aliases import name_key
from newsroundup.annotate.entities import group_entities
from newsroundup.evaluate.datasets import load_clusters
from newsroundup.model import Entity

ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = [base / "shared" / "data" / "multinews-dev" / "clusters.jsonl" for base in ROOT.parents[:2]]
DEFAULT = next((p for p in _CANDIDATES if p.is_file()), _CANDIDATES[0])
OUT = ROOT / "benchmarks" / "results" / "whoswho.json"


def main() -> None:
    """Group the entities of the chosen clusters and write the people found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    default = ",".join(f"mnv{n:03d}" for n in range(1, 24, 2))
    parser.add_argument("--clusters", default=default, help="comma-separated cluster ids, or a range mnvA-mnvB")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    wanted = _cluster_ids(args.clusters)
    clusters = {c.id: c for c in load_clusters(args.data) if c.id in wanted}
    out: dict[str, object] = {"data": args.data.name, "clusters": {}}
    for cid in wanted:
        began = time.perf_counter()
        entities = group_entities(list(clusters[cid].articles))
        people = [e for e in entities if e.kind == "person"]
        out["clusters"][cid] = {  # type: ignore[index]
            "articles": len(clusters[cid].articles),
            "persons": len(people),
            "role_lines": sum(len(p.roles) for p in people),
            "persons_over_two_role_lines": sum(len(p.roles) > 2 for p in people),
            "one_word_persons": sum(len(p.name.split()) == 1 for p in people),
            "seconds": round(time.perf_counter() - began, 1),
            "people": [{"name": p.name, "aliases": list(p.aliases), "roles": list(p.roles)} for p in people],
            "others": [f"{e.name} ({e.kind})" for e in entities if e.kind != "person"],
            "entities": len(entities),
            "names_in_two_entries": _shared_names(entities),
        }
        shown = {"people", "others", "names_in_two_entries"}
        print(cid, {k: v for k, v in out["clusters"][cid].items() if k not in shown})  # type: ignore[index]
    found = out["clusters"].values()  # type: ignore[attr-defined]
    out["total"] = {
        "clusters": len(found),
        "entities": sum(c["entities"] for c in found),
        "names_in_two_entries": sum(len(c["names_in_two_entries"]) for c in found),
    }
    print(out["total"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")


def _cluster_ids(spec: str) -> list[str]:
    """``mnv001,mnv003`` as given; ``mnv180-mnv219`` as every id from the first to the last."""
    if "-" in spec and "," not in spec:
        first, last = (int(part.removeprefix("mnv")) for part in spec.split("-"))
        return [f"mnv{n:03d}" for n in range(first, last + 1)]
    return spec.split(",")


def _shared_names(entities: list[Entity]) -> list[str]:
    """Each name or alias (compared by ``name_key``) that more than one entry of the story holds, with them."""
    holders: dict[str, set[str]] = {}
    for e in entities:
        for name in (e.name, *e.aliases):
            holders.setdefault(name_key(name), set()).add(f"{e.name} ({e.kind})")
    return [f"{key}: {' / '.join(sorted(h))}" for key, h in sorted(holders.items()) if len(h) > 1]


if __name__ == "__main__":
    main()
