"""Roundup knobs tried on the Multi-News dev *fit* part (clusters mnv000-mnv124) only, 250 words.

Each variant is a set of ``SalienceOptions`` / ``CandidateLimits`` fields; every variant and sumy
LexRank are scored in one ROUGE-1.5.5 run, so the ratios are comparable. The held-out part
(mnv125-mnv249) is never read here; ``bench_multinews.py`` scores it.

    .venv/bin/python benchmarks/fit_multinews.py --variant base '{}' --variant lead3 '{"lead_sentences": 3}'
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from typing import Any

from newsroundup.evaluate.datasets import load_clusters, load_duc2004
from newsroundup.evaluate.multinews import raw_documents
from newsroundup.evaluate.peers import run_sumy
from newsroundup.evaluate.rouge import score_systems
from newsroundup.roundup import salience as concepts
from newsroundup.roundup import select
from newsroundup.roundup.candidates import CandidateLimits
from newsroundup.roundup.salience import ConceptModel, SalienceOptions
from newsroundup.roundup.summarize import RoundupOptions, summarize

ROOT = Path(__file__).resolve().parents[1]
FIT_UNTIL = 125  # clusters mnv000..mnv124; the rest is held out
WORDS = 250
_NEAR_DUPLICATE_COSINE = select.NEAR_DUPLICATE_COSINE
_SHIPPED_MODEL = concepts.concept_model


def options_for(knobs: dict[str, Any]) -> RoundupOptions:
    """Roundup options with the given salience and candidate fields changed.

    ``near_duplicate_cosine`` sets ``roundup.select.NEAR_DUPLICATE_COSINE`` (a module constant) for
    the variant, ``concept_model`` the model file the "learned" weighting reads; the other knobs are
    fields of the options.
    """
    knobs = dict(knobs)
    select.NEAR_DUPLICATE_COSINE = knobs.pop("near_duplicate_cosine", _NEAR_DUPLICATE_COSINE)
    model = knobs.pop("concept_model", None)  # a model file of scripts/train_concept_model.py --out
    shipped = model is None
    concepts.concept_model = _SHIPPED_MODEL if shipped else partial(ConceptModel.from_json, Path(model).read_text())
    salience_names = {f.name for f in fields(SalienceOptions)}
    limit_names = {f.name for f in fields(CandidateLimits)}
    unknown = set(knobs) - salience_names - limit_names
    if unknown:
        raise SystemExit(f"unknown knob(s): {', '.join(sorted(unknown))}")
    salience = replace(SalienceOptions(), **{k: v for k, v in knobs.items() if k in salience_names})
    limits = replace(CandidateLimits(), **{k: v for k, v in knobs.items() if k in limit_names})
    return RoundupOptions(words=WORDS, salience=salience, candidates=limits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with multinews-dev/")
    parser.add_argument("--variant", nargs=2, action="append", metavar=("NAME", "JSON"), required=True)
    parser.add_argument("--limit", type=int, help="only the first N fit clusters")
    parser.add_argument("--clusters", help="only this slice A:B of the fit clusters (after --limit)")
    parser.add_argument("--out", type=Path, help="write the scores here as JSON")
    parser.add_argument("--lexrank-cache", type=Path, help="LexRank's summaries kept here between runs")
    parser.add_argument(
        "--duc", action="store_true", help="also score each variant on DUC 2004 (a check, never a choice)"
    )
    args = parser.parse_args()
    data = args.data or next(p / "shared/data" for p in ROOT.parents if (p / "shared/data").is_dir())
    path = data / "multinews-dev/clusters.jsonl"
    clusters = load_clusters(path)[:FIT_UNTIL]
    if args.limit:
        clusters = clusters[: args.limit]
    if args.clusters:
        first, last = (int(x) for x in args.clusters.split(":"))
        clusters = clusters[first:last]
    raw = raw_documents(path)
    summaries: dict[str, dict[str, str]] = {}
    words: dict[str, float] = {}
    for name, knobs in args.variant:
        options = options_for(json.loads(knobs))
        out = {}
        for cluster in clusters:
            roundup = summarize(cluster.articles, options, story_id=cluster.id)
            out[cluster.id] = "\n".join(" ".join(s.text.split()) for s in roundup.sentences)
        summaries[name] = out
        words[name] = sum(len(t.split()) for t in out.values()) / len(out)
        print(f"{name}: {words[name]:.1f} words per roundup", file=sys.stderr, flush=True)
    if args.lexrank_cache and args.lexrank_cache.exists():
        peer = json.loads(args.lexrank_cache.read_text(encoding="utf-8"))
    else:
        peer = run_sumy("LexRank", [(c.id, raw[c.id]) for c in clusters], WORDS).summaries
        if args.lexrank_cache:
            args.lexrank_cache.write_text(json.dumps(peer), encoding="utf-8")
    summaries["sumy-LexRank"] = {c.id: peer[c.id] for c in clusters}
    words["sumy-LexRank"] = sum(len(peer[c.id].split()) for c in clusters) / len(clusters)
    scores = score_systems(summaries, {c.id: list(c.references) for c in clusters}, WORDS)
    base = scores["sumy-LexRank"].rouge_2.recall
    result = {
        name: {
            "knobs": dict(args.variant).get(name, "{}"),
            "rouge_1": scores[name].rouge_1.recall,
            "rouge_2": scores[name].rouge_2.recall,
            "rouge_2_vs_lexrank": round(scores[name].rouge_2.recall / base, 3),
            "words": round(words[name], 1),
        }
        for name in summaries
    }
    if args.duc:
        duc = load_duc2004(data / "duc2004")
        duc_summaries = {}
        for name, knobs in args.variant:
            options = replace(options_for(json.loads(knobs)), words=100)
            duc_summaries[name] = {
                c.id: "\n".join(
                    " ".join(s.text.split()) for s in summarize(c.articles, options, story_id=c.id).sentences
                )
                for c in duc.clusters
            }
        duc_scores = score_systems(duc_summaries, {c.id: list(c.references) for c in duc.clusters}, 100)
        for name in duc_summaries:
            result[name]["duc2004_rouge_2"] = duc_scores[name].rouge_2.recall
    text = json.dumps({"clusters": len(clusters), "words": WORDS, "systems": result}, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
