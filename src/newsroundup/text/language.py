"""Tell which language an article is written in, from the share of each language's commonest words.

Model-free: news prose in any of these languages is about 40% function words of that language, and
those lists barely overlap. Short or mixed texts give None rather than a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

# The commonest function words of each language (ISO 639-1 code), lower-cased. Words shared by two
# of these languages ("in", "de", "a", "die", "is") count for both, which the margin below allows for.
_STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the of and to in is that for it was on with as he be by at are this from his have an not they "
        "has but were which their had or been will would who its said after also more than about",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
        "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war",
        "fr": "de la le et les des en un du une est que dans qui par pour au sur pas plus ne se ce il sont "
        "avec son elle a été aux ont cette ses mais ou leur nous comme",
        "es": "de la que el en y los del se las por un para con no una su al es lo como más pero sus le ya "
        "o fue este ha sí porque esta son entre cuando muy sin sobre también",
        "it": "di e il la che in a per un del è della le non con una si i da al dei alla gli nel sono anche "
        "più ha come ma lo delle questo sua suo essere stato",
        "nl": "de het een van en in is dat op te zijn voor met niet aan er om ook als bij door maar nog "
        "werd naar over wordt uit heeft dan deze zich tot hij",
        "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele "
        "das tem à seu sua ou ser quando muito há nos já está também",
        "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från "
        "vi så kan man när år säger hon under också efter",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 20  # fewer words than this: no verdict
_MIN_SHARE = 0.15  # the winning language's function words must make up this share of the text
_MARGIN = 1.5  # ... and outnumber the runner-up's by this factor
_SAMPLE = 20_000  # characters looked at: the opening of a long article is enough


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language among those known here, or None when unsure."""
    tokens = [w.lower() for w in _WORD.findall(text[:_SAMPLE])]
    if len(tokens) < MIN_WORDS:
        return None
    if sum(len(t) == 1 and "\u4e00" <= t <= "\u9fff" for t in tokens) > len(tokens) / 2:
        return None
    hits = {code: sum(t in words for t in tokens) for code, words in _STOPWORDS.items()}
    ranked = sorted(hits.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_SHARE * len(tokens) or top < _MARGIN * second:
        return None
    return best


def story_language(languages: Sequence[str | None], sizes: Sequence[int]) -> str | None:
    """The language most of a story's text is in (weighted by ``sizes``); English on a tie; None if unknown."""
    weight: Counter[str] = Counter()
    for language, size in zip(languages, sizes, strict=True):
        if language is not None:
            weight[language] += size
    if not weight:
        return None
    return max(weight, key=lambda code: (weight[code], code == "en"))
