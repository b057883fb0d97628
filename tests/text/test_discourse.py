"""Discourse cues: which sentence openings need an earlier sentence to make sense."""

import pytest

from newsroundup.text.discourse import opens_dangling, opens_with_connective, opens_with_pronoun


@pytest.mark.parametrize(
    "sentence",
    [
        "He said the talks had failed.",
        "``They will not come back,'' an aide said.",
        "Its walls were cracked.",
        "This was the worst flood in 50 years.",
        "But the governor refused.",
        "However, engineers disagreed.",
        "In addition, 40 homes were lost.",
        "As a result, the vote was delayed.",
        "Several said their children had not left the island since Monday.",
        "Many of them were stranded.",
        "By evening it had burned about 320 hectares.",
        "On Tuesday, he said the talks had failed.",
        "Behind him, the auditors held the envelopes.",
        "Among them were two former soldiers.",
        "For him it will be a long journey toward recovery.",
    ],
)
def test_dangling_openings(sentence: str) -> None:
    assert opens_dangling(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Hun Sen said the talks had failed.",
        "The governor refused to comment.",
        "Heavy rain fell for three days.",
        "Therese Morgan, a nurse, lost her home.",
        "Butler County was spared.",
        "There were no injuries.",
        "Several people were hurt when the roof fell.",
        "Many islanders queued for bread.",
        "By Tuesday the river had crested.",
        "In Honduras, officials said 20 people died.",
        "With her husband, Ann Lee left the valley on Tuesday.",
        "For months, the county warned about the levee.",
    ],
)
def test_self_contained_openings(sentence: str) -> None:
    assert not opens_dangling(sentence)


def test_kinds_are_told_apart() -> None:
    assert opens_with_pronoun("She left.") and not opens_with_connective("She left.")
    assert opens_with_connective("Meanwhile, rain fell.") and not opens_with_pronoun("Meanwhile, rain fell.")
