"""First mentions in a roundup: a person first met by surname alone is introduced by name and role."""

from __future__ import annotations

import re
from dataclasses import replace

from newsroundup.model import Entity, Roundup, RoundupSentence

_DATED_ROLE = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)$")
_NAME_BEFORE = re.compile(r"[A-Z][\w.'’-]*\s+$")
_MAX_TITLE_WORDS = 3


def introduce_people(roundup: Roundup, budget: int) -> Roundup:
    """Rewrite the first mention of each person in ``roundup`` to their full name (and title).

    Only a bare surname or alias is rewritten ("Marchetti announced" → "Governor Elena Marchetti
    announced"), once per sentence, and only while the roundup stays within ``budget`` words. The
    sentence is marked ``rewritten`` with what was replaced, so ``check_roundup`` still verifies it.
    """
    sentences = list(roundup.sentences)
    words = roundup.words
    for entity in roundup.entities:
        if entity.kind != "person" or len(entity.name.split()) < 2:
            continue
        for index, sentence in enumerate(sentences):
            found = _bare_mention(sentence.text, entity)
            if found is None:
                continue
            if found == (-1, -1) or sentence.rewritten:
                break  # introduced by full name here, or this sentence already carries a rewrite
            start, end = found
            introduction = introduce(entity)
            added = len(introduction.split()) - len(sentence.text[start:end].split())
            if words + added <= budget:
                sentences[index] = RoundupSentence(
                    text=sentence.text[:start] + introduction + sentence.text[end:],
                    source=sentence.source,
                    rewritten=True,
                    replaced=sentence.text[start:end],
                    replacement=introduction,
                )
                words += added
            break
    return replace(roundup, sentences=tuple(sentences))


def introduce(entity: Entity) -> str:
    """How a person is first named: "Governor Elena Marchetti", or the full name alone.

    A role is put before the name only when it reads as a title (capitalised, at most three words,
    not "the ..."); longer or descriptive roles would need an apposition, which changes the sentence.
    """
    role = _DATED_ROLE.sub("", entity.roles[0]).strip() if entity.roles else ""
    words = role.split()
    if (
        words
        and len(words) <= _MAX_TITLE_WORDS
        and role[:1].isupper()
        and words[0].lower() not in {"the", "a", "an"}
        and not any(w.endswith(("'s", "’s")) for w in words)
    ):
        return f"{role} {entity.name}"
    return entity.name


def _bare_mention(text: str, entity: Entity) -> tuple[int, int] | None:
    """Where ``text`` first names the person by a short form; (-1, -1) if by full name; else None."""
    if re.search(rf"\b{re.escape(entity.name)}\b", text):
        return -1, -1
    for alias in sorted(set(entity.aliases), key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w-]){re.escape(alias)}\b", text):
            if not _NAME_BEFORE.search(text, 0, match.start()):
                return match.start(), match.end()
    return None
