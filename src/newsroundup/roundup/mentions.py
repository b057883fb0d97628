"""How a roundup names people: full name and role at a first mention, the short form after it.

Each rewrite marks its sentence ``rewritten`` with what was replaced so ``check_roundup`` can
verify it: a sentence that opens with a subject pronoun or role ("She said ...", "The minister
said ...") whose source predecessor does not come right before it gets the name it stands for
(``name_openings``); a person the summary first meets by surname alone is introduced by full name
and title, and a later mention by full name becomes the surname (``introduce_people``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from newsroundup.annotate.aliases import split_person_name
from newsroundup.annotate.openings import OpeningReference
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.references import short_mention
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Span
from newsroundup.roundup.candidates import Candidate

__all__ = ["Openings", "first_naming", "introduce", "introduce_people", "name_openings", "opening_extra_words"]

# Per article id, the sentence-opening pronouns that can be named, keyed by the pronoun's offset.
Openings = Mapping[str, Mapping[int, OpeningReference]]

_DATED_ROLE = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)$")
_NAME_BEFORE = re.compile(r"[A-Z][\w.'’-]*\s+$")
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s")
_NAME_AFTER = re.compile(r"\s+[A-Z]")  # "Halvorsen Freight": the surname is part of another name
_MAX_TITLE_WORDS = 3
_MAX_APPOSITION_WORDS = 8


def name_openings(
    ordered: Sequence[Candidate], articles: Sequence[Article], openings: Openings
) -> list[RoundupSentence]:
    """The roundup sentences of ``ordered`` candidates, with pronoun openings named where needed.

    A sentence opening with a resolvable pronoun keeps it when the sentence right before it in the
    roundup is its own source predecessor and names the referent ("He" then reads as in the
    source). Otherwise the pronoun becomes the referent's full name and role when the roundup has
    not named them yet, or their short form (a surname) when it has.
    """
    out: list[RoundupSentence] = []
    previous: Candidate | None = None
    for cand in ordered:
        article = articles[cand.article_index]
        span = Span(article.id, cand.start, cand.end)
        reference = openings.get(article.id, {}).get(cand.start)
        if reference is None or _reads_on_from(previous, cand, reference):
            out.append(RoundupSentence(cand.text, span))
        else:
            rest = cand.text[reference.end - cand.start :]
            met = any(_names(s.text, reference) for s in out)
            name = short_naming(reference) if met else first_naming(reference, rest)
            out.append(RoundupSentence(name + rest, span, True, reference.pronoun, name))
        previous = cand
    return out


def opening_extra_words(reference: OpeningReference, text: str) -> int:
    """Words a sentence may gain when its opening pronoun or role is named (the longest naming)."""
    rest = text[len(reference.pronoun) :]
    return len(first_naming(reference, rest).split()) - len(reference.pronoun.split())


def _reads_on_from(previous: Candidate | None, cand: Candidate, reference: OpeningReference) -> bool:
    """True when ``previous`` is ``cand``'s source predecessor and names the pronoun's referent."""
    return (
        previous is not None
        and previous.article_index == cand.article_index
        and previous.through == cand.position - 1
        and previous.start <= reference.named_at < previous.end
    )


def _names(text: str, reference: OpeningReference) -> bool:
    """True when ``text`` names the referent by full name or short form."""
    forms = {reference.name.removeprefix("The "), short_naming(reference).removeprefix("The ")}
    return any(re.search(rf"(?<![\w-]){re.escape(f)}\b", text) for f in forms)


def short_naming(reference: OpeningReference) -> str:
    """A later mention: a person's surname, an organisation's name."""
    if reference.kind == "person":
        given, surname = split_person_name(reference.name)
        return surname if given else reference.name
    return reference.name


def first_naming(reference: OpeningReference, rest: str = "") -> str:
    """A first mention: full name with the role as a title ("Governor Elena Marchetti") or in
    apposition ("Ruth Ancell, a hydraulic engineer,"), or the full name alone.

    ``rest`` is the sentence after the pronoun: no apposition when a comma follows already.
    """
    if reference.kind != "person" or not reference.roles:
        return reference.name
    role = _DATED_ROLE.sub("", reference.roles[0]).strip()
    if _reads_as_title(role):
        return f"{role} {reference.name}"
    if role and len(role.split()) <= _MAX_APPOSITION_WORDS and not rest.lstrip().startswith((",", ";")):
        return f"{reference.name}, {role},"
    return reference.name


def _reads_as_title(role: str) -> bool:
    """A role that can stand before a name: capitalised, at most three words, not "the ..." or possessive."""
    words = role.split()
    return (
        bool(words)
        and len(words) <= _MAX_TITLE_WORDS
        and role[:1].isupper()
        and words[0].lower() not in {"the", "a", "an"}
        and not any(w.endswith(("'s", "’s")) for w in words)
    )


def introduce_people(roundup: Roundup, budget: int) -> Roundup:
    """Name each person in ``roundup`` in full at the first mention and by surname after it.

    A first mention by bare surname or alias is rewritten to the full name (and title):
    "Marchetti announced" → "Governor Elena Marchetti announced", while the roundup stays within
    ``budget`` words. A later mention by full name (with or without that title) becomes the
    surname, unless another person of the roundup shares it. Once per sentence; the sentence is
    marked ``rewritten`` with what was replaced, so ``check_roundup`` still verifies it.
    """
    sentences = list(roundup.sentences)
    words = roundup.words
    for entity in roundup.entities:
        if entity.kind != "person" or len(entity.name.split()) < 2:
            continue
        first = None
        for index, sentence in enumerate(sentences):
            found = _bare_mention(sentence.text, entity)
            if found is None:
                continue
            first = index
            if found == (-1, -1) or sentence.rewritten:
                break  # introduced by full name here, or this sentence already carries a rewrite
            start, end = found
            # "Osterhaus, the governor of Brenna,": the sentence gives the role; the title would repeat it.
            introduction = entity.name if _APPOSITION.match(sentence.text, end) else introduce(entity)
            added = len(introduction.split()) - len(sentence.text[start:end].split())
            if words + added <= budget:
                sentences[index] = _rewrite(sentence, start, end, introduction)
                words += added
            break
        if first is not None and not _shares_surname(entity, roundup.entities):
            for index in range(first + 1, len(sentences)):
                sentence = sentences[index]
                found = None if sentence.rewritten else _full_mention(sentence.text, entity)
                if found is not None:
                    sentences[index] = _rewrite(sentence, *found, short_mention(entity))
    return replace(roundup, sentences=tuple(sentences))


def _rewrite(sentence: RoundupSentence, start: int, end: int, replacement: str) -> RoundupSentence:
    """``sentence`` with ``text[start:end]`` replaced, marked so ``check_roundup`` can verify it."""
    text = sentence.text
    return RoundupSentence(text[:start] + replacement + text[end:], sentence.source, True, text[start:end], replacement)


def _full_mention(text: str, entity: Entity) -> tuple[int, int] | None:
    """Where ``text`` names the person in full (with the title ``introduce`` gives them if it is
    there), outside quoted speech."""
    for form in (introduce(entity), entity.name):
        for match in re.finditer(rf"(?<![\w-]){re.escape(form)}\b", text):
            if not quoted(text, match.start()):
                return match.start(), match.end()
    return None


def quoted(text: str, offset: int) -> bool:
    """True when ``offset`` of ``text`` lies inside quoted speech, which is never rewritten."""
    return any(m.open_start <= offset < m.close_end for m in find_quotations(text))


def _shares_surname(entity: Entity, people: Sequence[Entity]) -> bool:
    """True when another person in ``people`` has the same short form (two Marshes)."""
    short = short_mention(entity)
    return any(p is not entity and p.kind == "person" and short_mention(p) == short for p in people)


def introduce(entity: Entity) -> str:
    """How a person is first named: "Governor Elena Marchetti", or the full name alone.

    A role is put before the name only when it reads as a title (capitalised, at most three words,
    not "the ..."); longer or descriptive roles would need an apposition, which changes the sentence.
    """
    role = _DATED_ROLE.sub("", entity.roles[0]).strip() if entity.roles else ""
    return f"{role} {entity.name}" if _reads_as_title(role) else entity.name


def _bare_mention(text: str, entity: Entity) -> tuple[int, int] | None:
    """Where ``text`` first names the person by a short form; (-1, -1) if by full name; else None."""
    if re.search(rf"\b{re.escape(entity.name)}\b", text):
        return -1, -1
    for alias in sorted(set(entity.aliases), key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w-]){re.escape(alias)}\b", text):
            inside_a_name = _NAME_BEFORE.search(text, 0, match.start()) or _NAME_AFTER.match(text, match.end())
            if not inside_a_name and not quoted(text, match.start()):
                return match.start(), match.end()
    return None
