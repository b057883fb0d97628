"""The same-fact model's features and shipped weights (no embedder: cosines are given)."""

from newsroundup.text.same_fact import FEATURES, pair_features, same_fact_model

DEAD = "At least 231 people have been confirmed dead in Honduras, officials said Saturday."


def _feature(first: str, second: str, name: str, cosine: float = 0.8) -> float:
    return pair_features(first, second, cosine)[FEATURES.index(name)]


def test_numbers_that_differ_conflict_and_numbers_that_match_agree() -> None:
    other = "In Honduras, at least 231 deaths have been blamed on the storm, officials said."
    assert _feature(DEAD, other, "numbers_agree") == 1.0 and _feature(DEAD, other, "numbers_conflict") == 0.0
    fewer = other.replace("231", "174")
    assert _feature(DEAD, fewer, "numbers_agree") == 0.0 and _feature(DEAD, fewer, "numbers_conflict") == 1.0


def test_numbers_written_as_words_count_like_digits() -> None:
    two = "Two yachts were still missing on Sunday, the coast guard said."
    three = "Three yachts were still missing on Sunday, the coast guard said."
    assert _feature(two, three, "numbers_conflict") == 1.0  # was no number on either side: a corroboration
    assert _feature(two, "2 yachts were still missing on Sunday.", "numbers_agree") == 1.0
    assert _feature("Forty-one people died.", "41 people died.", "numbers_agree") == 1.0
    assert _feature("One of the yachts sank.", "A yacht sank.", "numbers_conflict") == 0.0  # "one of" is no count


def test_a_negation_on_one_side_only_and_names_that_do_not_meet_are_features() -> None:
    assert _feature("The dam held.", "The dam has not held.", "negation_mismatch") == 1.0
    assert _feature("The dam held.", "The dam held firm.", "negation_mismatch") == 0.0
    assert _feature("They arrested Smith in Dover.", "They arrested Jones.", "names_missing") == 1.0
    assert _feature("Police arrested Smith in Dover.", "Smith was arrested.", "names_shared") == 1.0


def test_the_shipped_model_calls_a_restatement_the_same_fact_and_a_different_claim_not() -> None:
    model = same_fact_model()
    restated = "At least 231 people were confirmed dead in Honduras, the officials said on Saturday."
    assert model.same_fact(pair_features(DEAD, restated, 0.95))
    other = "El Salvador's emergency committee listed 174 dead and 27,000 homeless."
    assert not model.same_fact(pair_features(DEAD, other, 0.6))
    # more cosine never makes a pair less likely the same fact
    low, high = (model.probability(pair_features(DEAD, restated, c)) for c in (0.5, 0.9))
    assert 0.0 < model.threshold < 1.0 and low < high


def test_a_story_of_many_outlets_embeds_a_bounded_number_of_sentences() -> None:
    """Cost bound: per roundup sentence, at most ``max_candidates`` other sentences are embedded."""
    import hashlib
    from dataclasses import replace

    import numpy as np

    from newsroundup.model import Article
    from newsroundup.roundup.corroborate import CorroborationOptions, corroborate
    from newsroundup.roundup.summarize import summarize

    embedded: list[int] = []

    def bag_of_words(texts: list[str]) -> np.ndarray:
        """A real (if plain) embedding: hashed word counts, L2-normalised; it records how many texts it got."""
        embedded.append(len(texts))
        rows = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 256] += 1.0
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)

    articles = [
        Article(
            id=f"a{n}", outlet=f"Outlet {n}",
            text=(f"At least {231 + n % 3} people have been confirmed dead in Honduras, officials said Saturday. "
                  f"Rescue teams in the valley of district {n} searched the mud for survivors on Sunday. "
                  f"The storm destroyed {40 + n} bridges and cut roads to the northern coast, the ministry said."),
        )
        for n in range(60)
    ]
    roundup = summarize(articles)
    capped = corroborate(roundup, articles, embed=bag_of_words, options=CorroborationOptions(max_candidates=3))
    rows = len(roundup.sentences) + 3 * CorroborationOptions().exclusives
    assert sum(embedded) <= rows * 4  # each row and at most 3 candidates of it
    assert any(s.corroboration for s in capped.sentences)  # still finds other outlets stating the fact
    embedded.clear()
    corroborate(roundup, articles, embed=bag_of_words, options=replace(CorroborationOptions(), max_candidates=10**6))
    assert sum(embedded) > rows * 4  # without the cap, every other outlet's shortlist is embedded


def test_only_pairs_sharing_nothing_are_left_unscored_and_they_could_not_reach_the_threshold() -> None:
    from newsroundup.text.same_fact import SharedWords, features_of, lexical, same_fact_model, unshared_bound

    texts = [
        "Police said two men were shot on Main Street on Friday night.",
        "Two men were wounded in a shooting on Main Street, police said.",
        "The council did not approve the 2015 budget of $4 million.",
        "Mayor Lee Brown opened the new library on Elm Avenue.",
        "Brown said the library cost 12 million dollars.",
        "Rain is expected over the weekend.",
    ]
    read = [lexical(t) for t in texts]
    sharing = SharedWords(read)
    model = same_fact_model()
    for i, row in enumerate(read):
        kept = set(sharing.with_any_of(row))
        assert i in kept
        for j, other in enumerate(read):
            features = features_of(row, other, 1.0)
            if j not in kept:  # what counts shared words, numbers and names is 0; the bound covers the rest
                assert features[1] == features[2] == features[3] == features[5] == 0.0
                assert model.probability(features) <= unshared_bound(model, 1.0)
    assert unshared_bound(model, 1.0) < model.threshold  # with the shipped model the index is used
