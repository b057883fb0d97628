"""Tokens and concepts: ROUGE-like words, Porter stems, bigrams without stopword pairs."""

from newsroundup.text.tokens import content_bigrams, stems, words


def test_words_split_like_rouge() -> None:
    assert words("Hun Sen's party won 12,000 votes.") == [
        "hun",
        "sen",
        "s",
        "party",
        "won",
        "12",
        "000",
        "votes",
    ]


def test_stems_are_porter_stems() -> None:
    assert stems("flooding floods flooded") == ["flood", "flood", "flood"]


def test_bigrams_of_two_stopwords_are_dropped() -> None:
    pairs = content_bigrams(["the", "dam", "was", "in", "the", "valley"])
    assert ("the", "dam") in pairs
    assert ("in", "the") not in pairs
    assert ("was", "in") not in pairs
