"""What each idea of the roundup engine is worth on DUC 2004: variants scored side by side.

Every variant summarizes the same 50 clusters at the same budget; all of them, with the published
ICSISumm and DPP outputs for reference, are scored in one ROUGE-1.5.5 run (the settings of
``newsroundup evaluate duc2004``). The defaults were chosen before this table was made (from the
literature and newsroom practice, see BENCHMARKS.md); the table reports, it does not tune.

    .venv/bin/python benchmarks/ablate_duc2004.py [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsroundup.evaluate.coherence import coherence_of
from newsroundup.evaluate.datasets import load_duc2004
from newsroundup.evaluate.rouge import score_systems
from newsroundup.roundup.candidates import CandidateLimits
from newsroundup.roundup.salience import SalienceOptions
from newsroundup.roundup.summarize import RoundupOptions, summarize

COUNT = SalienceOptions(weighting="count")
VARIANTS: dict[str, RoundupOptions] = {
    "concept ILP only (weight = articles stating it, >= 30% of them)": RoundupOptions(
        salience=SalienceOptions(lead_bonus=0.0, weighting="count"), candidates=CandidateLimits(leaning="free")
    ),
    "+ lede bonus": RoundupOptions(salience=COUNT, candidates=CandidateLimits(leaning="free")),
    "+ leaning sentences only after their predecessor": RoundupOptions(salience=COUNT),
    "+ corroboration weights: pairs of reports (default)": RoundupOptions(),
    "leaning sentences never": RoundupOptions(candidates=CandidateLimits(leaning="never")),
    "lede = first 3 sentences": RoundupOptions(salience=SalienceOptions(lead_sentences=3)),
    "lede bonus 2": RoundupOptions(salience=SalienceOptions(lead_bonus=2.0)),
    "concepts in >= 20% of articles": RoundupOptions(salience=SalienceOptions(min_share=0.2)),
    "concepts in >= 40% of articles": RoundupOptions(salience=SalienceOptions(min_share=0.4)),
}
REFERENCE_PEERS = ("ICSISumm", "DPP")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="DUC 2004 folder (default: as for evaluate duc2004)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/duc2004_ablation.json"))
    args = parser.parse_args()
    data = load_duc2004(args.data)
    summaries: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for name, options in VARIANTS.items():
        began = time.perf_counter()
        summaries[name] = {
            c.id: "\n".join(s.text for s in summarize(c.articles, options, story_id=c.id).sentences)
            for c in data.clusters
        }
        seconds[name] = time.perf_counter() - began
        print(f"{name}: {seconds[name]:.1f} s", file=sys.stderr)
    for peer in REFERENCE_PEERS:
        summaries[peer] = data.peers[peer]
    scores = score_systems(summaries, {c.id: list(c.references) for c in data.clusters})
    rows = {}
    for name, by_cluster in summaries.items():
        coherence = coherence_of(by_cluster.values())
        score = scores[name]
        rows[name] = {
            "rouge_1": score.rouge_1.recall,
            "rouge_2": score.rouge_2.recall,
            "rouge_l": score.rouge_l.recall,
            "rouge_su4": score.rouge_su4.recall,
            "dangling_openings": coherence.dangling,
            "sentences": coherence.sentences,
            "seconds": round(seconds.get(name, 0.0), 2) or None,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"clusters": len(data.clusters), "variants": rows}, indent=2) + "\n")
    print("| variant | R-1 | R-2 | R-L | R-SU4 | opening pronoun/connective |\n|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['rouge_1']:.2f} | {row['rouge_2']:.2f} | {row['rouge_l']:.2f} | {row['rouge_su4']:.2f} "
            f"| {row['dangling_openings']}/{row['sentences']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
