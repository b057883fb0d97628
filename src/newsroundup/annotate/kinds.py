"""The kind of thing a name names (person, organisation, group, place): the tagger's label, corrected by the name."""

from __future__ import annotations

from newsroundup.annotate.aliases import fold
from newsroundup.model import EntityKind

__all__ = ["LABEL_KIND", "kind_of"]

LABEL_KIND: dict[str, EntityKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
# Last words that make a name an organisation whatever the tagger says ("Halvorsen Freight").
_ORG_HEADS = frozenset(
    """
    agency authority board bureau council court ministry department office university college school
    committee commission company corporation corp inc ltd llc plc group holdings partners capital bank
    fund freight airlines airways motors energy foods media systems technologies labs logistics
    insurance pharmaceuticals union party association federation institute foundation coalition league
    parliament congress senate assembly police army navy force forces service services news post times
    herald gazette journal press wire observer daily ledger courier network tribune chronicle examiner inquirer
    sentinel dispatch bulletin
    """.split()
)
# Last words that make a name a street or a bridge ("Perry St", "Martin Luther King Boulevard", "Sophie Wright
# Place"): never a person's surname.
_PLACE_HEADS = frozenset("street st avenue ave boulevard blvd road rd highway square plaza bridge place".split())
_GROUP_HEADS = frozenset("brigade brigades militia militias front battalion battalions cartel faction legion".split())


def kind_of(name: str, label: str) -> EntityKind:
    """The kind of a named thing: the tagger's label, corrected by the name's last word."""
    last = fold(name).split()[-1] if name.split() else ""
    if last in _GROUP_HEADS:
        return "group"
    if last in _ORG_HEADS and len(name.split()) > 1:
        return "organization"
    if last in _PLACE_HEADS and len(name.split()) > 1:
        return "place"
    return LABEL_KIND.get(label, "organization")
