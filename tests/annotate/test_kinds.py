"""The kind of a named thing: the tagger's label, corrected by the name's last word."""

from __future__ import annotations

import pytest

from newsroundup.annotate.kinds import kind_of


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Perry St", "place"),
        ("Martin Luther King Boulevard", "place"),
        ("Sophie Wright Place", "place"),
        ("Kokomo Tribune", "organization"),
        ("Halvorsen Freight", "organization"),
        ("Nathan Lane", "person"),  # a surname, though lanes are streets
        ("Sally Field", "person"),
        ("Place", "person"),  # one word: the tagger's label stands
    ],
)
def test_a_street_or_a_newspaper_tagged_a_person_is_not_one(name: str, kind: str) -> None:
    assert kind_of(name, "PERSON") == kind
