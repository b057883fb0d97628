"""Recognise page furniture in pasted web text: a weighted score over model-free line features.

Web articles scraped as text carry the page around them: newsletter and app pitches, photo captions
and credits, share/follow lines, bylines and contributor notes, related links, embedded posts, player
and error messages. Each feature below is a plain rule; their weights are learned by
``scripts/train_furniture.py`` from hand-labelled lines of the Multi-News dev set and shipped as
``furniture_weights.json``. The rules are English-only: call them on English text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources

WEIGHTS_FILE = "furniture_weights.json"


def _rx(pattern: str) -> Callable[[str], bool]:
    """A feature that is true when ``pattern`` (case-insensitive) occurs in the line.

    A pattern with no capital letter is searched in the lower-cased line, which is about twice as fast as
    a case-insensitive search (every article's every line is scored); one with capitals ("[A-Z]") is
    searched ignoring case.
    """
    if pattern == pattern.lower():
        lower = re.compile(pattern)
        return lambda line: lower.search(line.lower()) is not None
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda line: compiled.search(line) is not None


def _title_case_share(line: str) -> float:
    """Share of alphabetic words that start with a capital (headlines and credits are title-cased)."""
    alpha = [w for w in line.split() if w[:1].isalpha()]
    return sum(w[0].isupper() for w in alpha) / len(alpha) if alpha else 0.0


def _n_words(line: str) -> int:
    return len(line.split())


_TERMINAL = re.compile(r"""[.!?]["'”’)\]]*$""")
_REPORTING = re.compile(r"\b(?:said|says|told|according to|announced|reported)\b", re.IGNORECASE)

# name -> rule over one stripped line. Order is the order of the weights file.
FEATURES: dict[str, Callable[[str], bool]] = {
    "promo": _rx(
        r"\b(?:sign\s*up|subscribe|subscriptions?|newsletters?|inbox|daily edition|email alerts?|"
        r"breaking news (?:emails|alerts)|download (?:the|our)\b.*\bapp|free trial|unlimited access|"
        r"stay (?:with|tuned)|check back|join the conversation|(?:do not|don't|don’t) forget to|for the latest)\b"
    ),
    "social": _rx(
        r"\b(?:facebook|twitter|instagram|pinterest|whatsapp|linkedin|youtube|tweet|tweets|reddit)\b|"
        r"\bfollow (?:us|him|her|them|@?\w+ on)\b|\blike us\b|\bshare (?:this|on|via)\b|^share\b"
    ),
    "link": _rx(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|ly|st|ws)(?:/|\b)|pic\.twitter\.com|@\w+\.\w+"),
    "handle": _rx(r"(?<![\w.])@\w{2,}"),
    "photo_credit": _rx(
        r"\b(?:photo(?:graph)?s?|image|images|getty|ap photo|afp|reuters|credit|copyright|file photo|"
        r"pictured|caption)\b|©|/ap\)|/getty\b"
    ),
    "caption_shape": _rx(r",\s*(?:left|right|center|centre)\s*,|\(\s*[A-Z][\w .'-]+/\s*[A-Z][\w .'-]+\)\s*$"),
    "embed_signature": _rx(
        r"—\s*[^—]{1,60}\(@\w+\)\s*\w+\s+\d{1,2},\s*\d{4}\s*$|\ba post shared by\b|\bembed\b|"
        r"\bautoplay\b|\breplay\b|\bmedia playback\b|\bjust watched\b|\bmust watch\b"
    ),
    "video": _rx(r"\b(?:video|videos|watch|raw:|listen|audio|podcast|player|javascript)\b"),
    "advert": _rx(r"\b(?:advertisement|advertising|sponsored|report this ad|continue reading|story continued below)\b"),
    "related": _rx(
        r"^(?:read|more|also|see|related|explore further|most popular|recommended|watch|photos?|raw|listen)\b"
        r"[^.]{0,40}:|"
        r"^read (?:more|or share)\b|\bread more\b|\bmore from\b|^\[.*\]$|^\(.*\)$|\bfor more (?:about|on|information)\b"
    ),
    "credits": _rx(
        r"\bcontributed to this (?:report|story)\b|\bwith reporting by\b|\b(?:edited|editing|translated) by\b|"
        r"\beditor(?:'s|’s)? ?(?:note|:)|\bcorrect(?:ion|ed)\b|\ban earlier version\b|\bstory highlights\b"
    ),
    "contact": _rx(r"\bcontact\b|\bemail:|\b\d{3}[-.]\d{3}[-.]\d{4}\b|\b[\w.]+@[\w-]+\.\w+"),
    "site_notice": _rx(
        r"\b(?:not available right now|try again later|could not be found|unsupported on your device|"
        r"enable javascript|cookies?|captcha|characters|your browser|all rights reserved|terms of (?:use|service)|"
        r"privacy policy|let us know|send us)\b"
    ),
    "byline": _rx(r"^by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\b|^[A-Z][\w.'’-]+\s+[A-Z][\w.'’-]+\s+-\s+[A-Z]"),
    "symbols_only": lambda line: not any(c.isalnum() for c in line),
    "all_caps": lambda line: sum(c.isalpha() for c in line) >= 3 and line.upper() == line,
    "title_case": lambda line: _n_words(line) >= 3 and _title_case_share(line) >= 0.75,
    "no_terminal": lambda line: _TERMINAL.search(line) is None,
    "ends_colon": lambda line: line.rstrip().endswith(":"),
    "words_le_3": lambda line: _n_words(line) <= 3,
    "words_4_8": lambda line: 4 <= _n_words(line) <= 8,
    "words_9_20": lambda line: 9 <= _n_words(line) <= 20,
    "words_gt_40": lambda line: _n_words(line) > 40,
    "reporting_cue": lambda line: _REPORTING.search(line) is not None,
    "quoted": lambda line: any(q in line for q in "\"“”"),
}


def features(line: str) -> list[float]:
    """The feature vector of one stripped line, in ``FEATURES`` order."""
    return [1.0 if rule(line) else 0.0 for rule in FEATURES.values()]


@cache
def _weights() -> tuple[tuple[float, ...], float, float]:
    """The shipped weights, bias and decision threshold (read once)."""
    raw = json.loads(resources.files("newsroundup.text").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8"))
    names = list(raw["weights"])
    if names != list(FEATURES):
        raise RuntimeError(f"{WEIGHTS_FILE} does not match the furniture features; rerun scripts/train_furniture.py")
    return tuple(float(raw["weights"][n]) for n in names), float(raw["bias"]), float(raw["threshold"])


# The same sentences are scored again by every roundup version, by selection twice and by corroboration: the
# cache holds a story of ~2,000 articles (~115,000 sentences; with 16,384 entries such a story missed on
# every pass, 60 of its 200 s).
@lru_cache(maxsize=2**17)
def furniture_score(line: str) -> float:
    """Probability-like score in [0, 1] that ``line`` is page furniture rather than reporting."""
    stripped = line.strip()
    if not stripped:
        return 0.0
    weights, bias, _ = _weights()
    z = bias + sum(w * x for w, x in zip(weights, features(stripped), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


# The longest furniture line among the labelled ones has 198 words (the next 46); a longer line is outside
# what the score was fitted on — typically a whole article stored on one line — and is never furniture.
MAX_SCORED_WORDS = 200


def looks_like_furniture(line: str) -> bool:
    """True when the learned score says ``line`` is page furniture (threshold shipped with the weights)."""
    return _n_words(line) <= MAX_SCORED_WORDS and furniture_score(line) >= _weights()[2]
