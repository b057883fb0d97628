"""Titles and roles around a name: title words, gendered honorifics, role nouns, roles stated beside a name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "ROLE_NOUNS",
    "TITLE_WORDS",
    "appositive_role",
    "honorific_before",
    "honorific_gender",
    "split_given_names",
    "stands_alone",
    "strip_titles",
    "title_before",
]

# Words that name a position or honorific before a name ("Defense Secretary Ash Carter").
TITLE_WORDS = frozenset(
    """
    mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. father sister brother
    president vice prime minister secretary gov gov. governor sen sen. senator rep rep. representative
    mayor deputy chancellor king queen prince princess sheikh imam ayatollah pope cardinal bishop gen
    gen. general lt lt. col col. colonel maj maj. major capt capt. captain sgt sgt. sergeant adm adm.
    admiral cmdr cmdr. commander commissioner chief judge justice attorney ambassador envoy spokesman
    spokeswoman spokesperson councilman councilwoman councillor councilor alderman chairman chairwoman
    chair director executive officer leader speaker premier president-elect emir crown dean
    """.split()
)
_HONORIFIC_GENDER = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "sir": "m",
    "dame": "f",
    "lord": "m",
    "lady": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "father": "m",
    "sister": "f",
    "brother": "m",
    "spokesman": "m",
    "spokeswoman": "f",
    "councilman": "m",
    "councilwoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "congressman": "m",
    "congresswoman": "f",
    "businessman": "m",
    "businesswoman": "f",
}
# Nouns that name a person's job or standing: an appositive built on one is a role.
ROLE_NOUNS = frozenset(
    """
    minister secretary governor mayor president senator representative envoy mediator ambassador
    spokesman spokeswoman spokesperson official officer commander leader chief executive director
    engineer analyst lawyer attorney judge justice founder chairman chairwoman chair councilwoman
    councilman councillor councilor lawmaker legislator delegate negotiator teacher farmer volunteer
    resident driver doctor nurse economist professor researcher scientist expert adviser advisor aide
    head manager owner worker member candidate prosecutor general colonel captain sergeant activist
    campaigner organizer organiser historian reporter journalist editor brother sister son daughter
    wife husband mother father cousin uncle aunt widow survivor witness victim protester shopkeeper
    """.split()
)


def honorific_gender(word: str) -> str | None:
    """'m' or 'f' when a title or role word states a gender ("Ms.", "spokesman"), else None."""
    return _HONORIFIC_GENDER.get(word.lower().rstrip("."))


def strip_titles(tokens: Sequence[Token]) -> tuple[int, list[Token]]:
    """Split leading title words off an entity's tokens: (index of the name's first token, titles)."""
    index = 0
    while index < len(tokens) - 1 and fold(tokens[index].text).rstrip(".") in {t.rstrip(".") for t in TITLE_WORDS}:
        index += 1
    return index, list(tokens[:index])


def split_given_names(titles: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split capitalised proper nouns that end a title run off it (at most two: given names)."""
    cut = len(titles)
    while (
        cut > 0
        and len(titles) - cut < 2
        and titles[cut - 1].pos_ == "PROPN"
        and titles[cut - 1].text[:1].isupper()
        and not titles[cut - 1].text.isupper()
        and fold(titles[cut - 1].text).rstrip(".") not in TITLE_WORDS
        and fold(titles[cut - 1].text) not in ROLE_NOUNS
    ):
        cut -= 1
    if cut == 0:
        return titles, []  # a run of names only is another entity, not a title and a given name
    return titles[:cut], titles[cut:]


def title_before(ent: Span) -> list[Token]:
    """Title and role words right before a name in one noun phrase ("Interior Minister", "U.N. envoy")."""
    doc = ent.doc
    inside = set(range(ent.start, ent.end))
    out: list[Token] = []
    i = ent.start - 1
    while i >= 0:
        tok = doc[i]
        if (tok.is_punct and tok.text not in {"."}) or tok.dep_ in {"det", "poss", "case", "cc"} or tok.is_space:
            break
        if tok.head.i not in inside and tok.head.i not in {t.i for t in out} and tok.head.i <= i:
            break
        if tok.pos_ not in {"PROPN", "NOUN", "ADJ"} and not tok.text.rstrip(".").isupper():
            break
        out.insert(0, tok)
        inside.add(i)
        i -= 1
    # A run of names before the name is another entity ("Brightwater Partners"), not a title, unless it
    # ends with a role word ("Brightwater Partners chief executive Simone Varga").
    while out and not any(fold(t.text).rstrip(".") in TITLE_WORDS or fold(t.text) in ROLE_NOUNS for t in out):
        out.pop(0)
    return out


def appositive_role(ent: Span, text: str) -> str | None:
    """A role stated in apposition: "Ruth Ancell, a hydraulic engineer" or "The coalition's lawyer, X"."""
    root = ent.root
    candidates: list[tuple[Token, set[int]]] = []
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            candidates.append((child, set()))
    if root.dep_ == "appos" and root.head.i < ent.start:
        candidates.append((root.head, set(range(ent.start, ent.end)) | {t.i for t in root.subtree}))
    for head, excluded in candidates:
        if head.pos_ not in {"NOUN", "PROPN"} or fold(head.text) not in ROLE_NOUNS:
            continue
        tokens = [t for t in head.subtree if t.i not in excluded]
        tokens = _cut_clauses(head, tokens)
        if not tokens or len(tokens) > 12:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        role = text[start:end].strip(" ,")  # not ent.doc.text: spaCy rebuilds that on every access
        if role and stands_alone(role):
            return role
    return None


def stands_alone(role: str) -> bool:
    """False for a role that needs its sentence to make sense: "its chief engineer", "their lawyer"."""
    return role.split()[0].lower() not in {"its", "his", "her", "their", "our", "my", "your"}


def _cut_clauses(head: Token, tokens: list[Token]) -> list[Token]:
    """Drop relative clauses, participle phrases and anything after a comma from a noun phrase."""
    dropped: set[int] = set()
    for child in head.children:
        if child.dep_ in {"relcl", "acl", "appos", "punct", "advcl"} and child.i > head.i:
            dropped |= {t.i for t in child.subtree}
    kept = [t for t in tokens if t.i not in dropped]
    out: list[Token] = []
    for tok in kept:
        if tok.text in {",", "—", "–", "("} and tok.i > head.i:
            break
        out.append(tok)
    return out


def honorific_before(text: str, start: int) -> str | None:
    """'m' or 'f' when the word right before ``start`` is a gendered honorific ("Ms", "Mr.")."""
    match = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 16) : start])
    return honorific_gender(match.group(1)) if match else None
