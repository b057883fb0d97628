"""First and later mentions of a person: full name and role, then the short form."""

from __future__ import annotations

from newsroundup.annotate.references import first_mention, short_mention
from newsroundup.model import Entity


def test_first_and_later_mentions() -> None:
    minister = Entity("Ilse Brandvold", "person", ("Brandvold",), ("Harbour Minister (2024-03-14)",))
    engineer = Entity(
        "Ruth Ancell", "person", (), ("a hydraulic engineer at the University of Castrel (2024-03-14)",)
    )
    assert first_mention(minister) == "Harbour Minister Ilse Brandvold"
    assert first_mention(engineer) == "Ruth Ancell, a hydraulic engineer at the University of Castrel"
    assert short_mention(minister) == "Brandvold"
    assert short_mention(Entity("Tessel Port Workers", "organization")) == "Tessel Port Workers"
