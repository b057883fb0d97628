"""Small sources and a stitched article written for the audit tests."""

from __future__ import annotations

import pytest

from newsroundup.model import Article

AFP = (
    "Jean-Yves Le Drian met the Iraqi prime minister in Baghdad on Monday. "
    "He said France would send 200 more advisers to train Iraqi forces fighting Daesh. "
    '"We will not give up," Le Drian told reporters after the meeting. '
    "The minister then flew to Erbil to meet Kurdish leaders."
)
REUTERS = (
    "French foreign minister Jean-Yves Le Drian arrived in Baghdad on Monday for talks on the fight against Daesh. "
    "Iraqi prime minister Haider al-Abadi thanked France for its help, his office said. "
    '"This war is far from over," al-Abadi said in a statement.'
)
COLOMBIA = (
    "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday. "
    "Negotiators hope to agree a ceasefire before the presidential election."
)


@pytest.fixture
def sources() -> list[Article]:
    return [
        Article("afp", AFP, outlet="AFP"),
        Article("reuters", REUTERS, outlet="Reuters"),
        Article("colombia", COLOMBIA, outlet="El Tiempo"),
    ]
