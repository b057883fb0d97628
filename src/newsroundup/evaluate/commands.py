"""``newsroundup evaluate``: its arguments and what each benchmark command writes (results JSON, a table)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsroundup.arguments import number, whole_number
from newsroundup.errors import NewsroundupError


def add_evaluate_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``evaluate`` subcommands: duc2004, multinews, stories, dates, attribution and audit."""
    p = sub.add_parser("evaluate", help="score newsroundup against benchmark data and peers")
    esub = p.add_subparsers(dest="benchmark", metavar="BENCHMARK")
    esub.required = True
    e = esub.add_parser(
        "duc2004",
        help="DUC 2004 Task 2: ROUGE and coherence vs. sumy and 13 published systems",
    )
    e.add_argument("--data", type=Path, help="folder with clusters.jsonl and peers.jsonl")
    _add_summary_run(e, "duc2004", 100, "only the first K clusters (smoke runs)")
    e.set_defaults(handler=_cmd_evaluate_duc2004)
    e = esub.add_parser(
        "multinews",
        help="real multi-source web clusters (Multi-News format): ROUGE vs. sumy, furniture and headline checks",
    )
    e.add_argument("--data", dest="multinews_data", type=Path, metavar="DIR", help="folder with clusters.jsonl")
    e.add_argument(
        "--part", choices=("held-out", "fit", "all"), default="held-out",
        help="clusters mnv125 on (held-out, default), the first 125 (fit) or all",
    )
    _add_summary_run(e, "multinews_evaluate", 250, "only the first K clusters of the part")
    e.set_defaults(handler=_cmd_evaluate_multinews)
    e = esub.add_parser(
        "stories",
        help="story grouping as a stream, B-cubed beside the peers: DUC 2004, or any labelled stream (--stream)",
        description=(
            "Without --stream: DUC 2004 as one shuffled stream against batch baselines. With --stream FILE.jsonl "
            "(one article per line: id, text, gold, optional title/url/outlet/published): the stream in "
            "publication order and/or shuffled, beside every-article-alone, single-pass TF-IDF with a 3-day "
            "window, TF-IDF agglomerative told the number of events and HDBSCAN on the embeddings."
        ),
    )
    e.add_argument("--data", type=Path, help="folder with clusters.jsonl")
    e.add_argument("--stream", type=Path, metavar="FILE", help="a labelled stream (JSONL) instead of DUC 2004")
    e.add_argument("--order", choices=("date", "shuffled", "both"), default="both",
                   help="with --stream: publication order, shuffles, or both (default both)")
    e.add_argument("--tfidf-threshold", type=number(0.0, 1.0, above_low=True), default=None, metavar="X",
                   help="with --stream: the single-pass TF-IDF peer's join cosine "
                        "(default 0.2, fitted on gva-stream-dev)")
    e.add_argument(
        "--shuffles", type=whole_number(1, 1000), default=None, metavar="N",
        help="shuffled streams (default 5; 3 with --stream)",
    )
    e.add_argument("--seed", type=whole_number(0, 2**32 - 1), default=0, help="seed of the first shuffle (default 0)")
    e.add_argument(
        "--events",
        choices=("all", "tune", "held-out"),
        default="all",
        help="all events, or one half of them, alternately by id: tune (1st, 3rd, ...) or held-out (default all)",
    )
    e.add_argument("--out", type=Path, default=None,
                   help="where to write the JSON results (default benchmarks/results/stories.json, "
                        "with --stream benchmarks/results/stories_stream.json)")
    e.add_argument("--quiet", action="store_true", help="no progress on stderr")
    e.set_defaults(handler=_cmd_evaluate_stories)
    e = esub.add_parser(
        "dates",
        help="dates on TimeML news (TimeBank): P/R/F1 of normalised DATE values vs. dateparser",
    )
    e.add_argument(
        "--data",
        dest="dates_file",
        type=Path,
        required=True,
        metavar="FILE",
        help="TimeML JSONL (e.g. timebank-dev/documents.jsonl)",
    )
    e.add_argument(
        "--split",
        choices=("all", "fit", "held-out", "held-out-a", "held-out-b"),
        action="append",
        help="which documents (by a hash of the id; held-out-a and held-out-b are the halves of held-out; "
        "repeatable; default fit, held-out and held-out-b)",
    )
    e.add_argument("--no-peer", action="store_true", help="skip the dateparser peer")
    _add_out(e, "dates")
    e.set_defaults(handler=_cmd_evaluate_dates)
    e = esub.add_parser(
        "attribution",
        help="who said what on PolNeAR (direct quotes, reported speech, speakers) vs. a regex baseline and textacy",
    )
    e.add_argument("--data", type=Path, help="PolNeAR articles.jsonl (default ../shared/data/polnear-dev)")
    e.add_argument("--split", default="dev", help="the split scored (default dev; rules are fitted on train)")
    e.add_argument("--limit", type=whole_number(1), metavar="K", help="only the first K articles (smoke runs)")
    e.add_argument("--no-peers", action="store_true", help="skip the regex baseline and textacy")
    _add_out(e, "attribution_polnear")
    e.set_defaults(handler=_cmd_evaluate_attribution)
    e = esub.add_parser(
        "audit",
        help="audit on labelled stitched articles: provenance P/R and each defect kind vs. a TF-IDF peer",
        description=(
            "Each line of FILE is a stitched article with its source pool and gold labels (the format is in "
            "newsroundup/evaluate/audit.py; benchmarks/make_audit_dev.py writes a development set from real "
            "news). Scores provenance (right source article, span overlap >= 0.8) and precision/recall/F1 per "
            "defect kind, beside a plain TF-IDF nearest-sentence peer."
        ),
    )
    e.add_argument("--data", dest="audit_file", type=Path, required=True, metavar="FILE", help="labelled cases (JSONL)")
    e.add_argument(
        "--split",
        choices=("all", "fit", "heldout"),
        action="append",
        help="which cases (repeatable; default fit and heldout, each scored apart)",
    )
    e.add_argument("--limit", type=whole_number(1), metavar="K", help="only the first K cases of each split")
    e.add_argument("--no-peer", action="store_true", help="skip the TF-IDF nearest-sentence peer")
    _add_out(e, "audit_eval")
    e.set_defaults(handler=_cmd_evaluate_audit)


def _add_summary_run(parser: argparse.ArgumentParser, name: str, words: int, limit_help: str) -> None:
    """The options of a benchmark that summarizes clusters beside sumy: words, limit, no-sumy, out, quiet."""
    parser.add_argument(
        "--words", dest="eval_words", type=whole_number(1), default=words, metavar="N",
        help=f"word budget (default {words})",
    )
    parser.add_argument("--limit", type=whole_number(1), metavar="K", help=limit_help)
    parser.add_argument("--no-sumy", action="store_true", help="skip the sumy baselines")
    _add_out(parser, name)
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _add_out(parser: argparse.ArgumentParser, name: str) -> None:
    """The ``--out`` option every benchmark takes: where its JSON results go (default under benchmarks/results/)."""
    default = f"benchmarks/results/{name}.json"
    parser.add_argument(
        "--out", type=Path, default=Path(default), help=f"where to write the JSON results (default {default})"
    )


def _cmd_evaluate_attribution(args: argparse.Namespace) -> int:
    """``newsroundup evaluate attribution``: scores per system as a table, all of it as JSON in --out."""
    from newsroundup.evaluate.attribution import evaluate_polnear
    from newsroundup.evaluate.polnear import locate_polnear

    if args.limit is not None and args.limit < 1:
        raise NewsroundupError(f"--limit must be a positive number of articles, not {args.limit}")
    result = evaluate_polnear(locate_polnear(args.data), args.split, args.limit, peers=not args.no_peers)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise NewsroundupError(f"{args.out}: cannot write the results ({exc.strerror or exc})") from exc
    for name, entry in result["systems"].items():
        for key, value in entry.items():
            if isinstance(value, dict):
                speaker = value.get("speaker_accuracy", "-")
                print(
                    f"{name:28} {key:32} P {value['precision']:.3f} R {value['recall']:.3f} "
                    f"F1 {value['f1']:.3f} speaker {speaker}"
                )
    return 0


def _cmd_evaluate_audit(args: argparse.Namespace) -> int:
    """``newsroundup evaluate audit``."""
    from newsroundup.evaluate.audit import SPLITS, evaluate_audit, format_table

    results = evaluate_audit(args.audit_file, splits=args.split or SPLITS, limit=args.limit, peer=not args.no_peer)
    _write(results, args.out, format_table(results))
    return 0


def _cmd_evaluate_duc2004(args: argparse.Namespace) -> int:
    """``newsroundup evaluate duc2004``."""
    from newsroundup.evaluate.duc2004 import evaluate_duc2004, format_table

    results = evaluate_duc2004(
        data_dir=args.settings.data,
        words=args.eval_words,
        limit=args.limit,
        with_sumy=not args.no_sumy,
        quiet=args.quiet,
    )
    _write(results, args.out, format_table(results))
    return 0


def _cmd_evaluate_multinews(args: argparse.Namespace) -> int:
    """``newsroundup evaluate multinews``."""
    from newsroundup.evaluate.multinews import evaluate_multinews, format_table

    results = evaluate_multinews(
        args.multinews_data, part=args.part, words=args.eval_words, limit=args.limit,
        with_sumy=not args.no_sumy, quiet=args.quiet,
    )
    _write(results, args.out, format_table(results))
    return 0


def _cmd_evaluate_stories(args: argparse.Namespace) -> int:
    """``newsroundup evaluate stories``: DUC 2004, or the labelled stream of ``--stream``."""
    from newsroundup.evaluate.stories import evaluate_stories, format_table
    from newsroundup.evaluate.stream import TFIDF_THRESHOLD, evaluate_stream, format_stream_table
    from newsroundup.pipeline.options import grouping_options

    threshold = TFIDF_THRESHOLD if args.tfidf_threshold is None else args.tfidf_threshold
    if args.stream is not None:
        results = evaluate_stream(
            args.stream, grouping_options(args.settings), order=args.order, shuffles=args.shuffles or 3,
            seed=args.seed, tfidf_threshold=threshold, quiet=args.quiet,
        )
        _write(results, args.out or Path("benchmarks/results/stories_stream.json"), format_stream_table(results))
        return 0
    results = evaluate_stories(
        data_dir=args.settings.data,
        shuffles=args.shuffles or 5,
        seed=args.seed,
        events=args.events,
        quiet=args.quiet,
        options=grouping_options(args.settings),
    )
    _write(results, args.out or Path("benchmarks/results/stories.json"), format_table(results))
    return 0


def _cmd_evaluate_dates(args: argparse.Namespace) -> int:
    """``newsroundup evaluate dates``."""
    from newsroundup.evaluate.timebank import evaluate_dates, format_table

    systems = ["newsroundup"] if args.no_peer else None
    results = evaluate_dates(args.dates_file, splits=args.split or ("fit", "held-out", "held-out-b"), systems=systems)
    _write(results, args.out, format_table(results))
    return 0


def _write(results: dict[str, Any], out: Path, table: str) -> None:
    """Write ``results`` as JSON to ``out``, print the table and where the results went."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table)
    print(f"results written to {out}", file=sys.stderr)
