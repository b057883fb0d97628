"""Selection: most concept weight within the budget, coherence and redundancy constraints respected."""

import os
import subprocess
import sys

from newsroundup.model import Article
from newsroundup.roundup.candidates import build_candidates
from newsroundup.roundup.salience import concept_weights
from newsroundup.roundup.select import near_duplicate_pairs, select_sentences


def _articles() -> list[Article]:
    return [
        Article(
            "a",
            "The Hollins Dam spillway collapsed on Tuesday after three days of rain. "
            "Governor Elena Marchetti ordered the evacuation of Port Averly. "
            "She said the National Guard would send 400 soldiers to Port Averly.",
        ),
        Article(
            "b",
            "The Hollins Dam spillway collapsed on Tuesday, flooding the Eastbank district. "
            "Governor Elena Marchetti ordered the evacuation of Port Averly on Tuesday night. "
            "The National Guard will send 400 soldiers, officials said.",
        ),
        Article(
            "c",
            "Residents fled as the Hollins Dam spillway collapsed on Tuesday. "
            "Shelters opened at three schools in Port Averly. "
            "The National Guard will send 400 soldiers to help.",
        ),
    ]


def test_budget_is_never_exceeded() -> None:
    candidates = build_candidates(_articles())
    weights = concept_weights(candidates)
    for budget in (5, 12, 20, 30, 60):
        chosen = select_sentences(candidates, weights, budget).chosen
        assert sum(c.n_words for c in chosen) <= budget


def test_a_pronoun_sentence_comes_only_with_the_sentence_it_leans_on() -> None:
    candidates = build_candidates(_articles())
    she = candidates[0][2]
    assert she.needs_previous
    weights = concept_weights(candidates)
    for budget in range(8, 60, 4):
        chosen = select_sentences(candidates, weights, budget).chosen
        if she in chosen:
            assert candidates[0][1] in chosen


def test_near_duplicates_exclude_each_other() -> None:
    candidates = build_candidates(_articles())
    pool = [c for sents in candidates for c in sents if c.eligible]
    pairs = near_duplicate_pairs(pool)
    assert pairs, "the three 'spillway collapsed on Tuesday' leads are near-duplicates"
    weights = concept_weights(candidates)
    chosen = set(select_sentences(candidates, weights, 200).chosen)
    for a, b in pairs:
        assert not (pool[a] in chosen and pool[b] in chosen)


def test_nothing_eligible_gives_an_empty_selection() -> None:
    candidates = build_candidates([Article("x", "Too short.\nNo end")])
    assert select_sentences(candidates, concept_weights(candidates), 100).chosen == ()


def test_a_concept_only_one_sentence_states_still_counts_and_the_optimum_is_exact() -> None:
    # brute force over every subset within the budget: the solver's covered weight is the best there is,
    # with concepts that one sentence alone states weighing as much as shared ones
    from itertools import combinations

    candidates = build_candidates(_articles())
    pool = [c for sents in candidates for c in sents if c.eligible and not c.needs_previous]
    weights = {b: 1.0 + (k % 3) for k, b in enumerate(sorted({b for c in pool for b in c.bigrams}))}
    only_one = [b for b in weights if sum(b in c.bigrams for c in pool) == 1]
    assert only_one, "some concepts are stated by one sentence only"
    budget = 25
    leaning = {c for sents in candidates for c in sents if c.needs_previous}
    twins = {frozenset((pool[a], pool[b])) for a, b in near_duplicate_pairs(pool)}
    best = max(
        sum(weights[b] for b in set().union(*(c.bigrams for c in subset)))
        for n in range(len(pool) + 1)
        for subset in combinations(pool, n)
        if sum(c.n_words for c in subset) <= budget and not any(frozenset(p) in twins for p in combinations(subset, 2))
    )
    selection = select_sentences([[c for c in sents if c not in leaning] for sents in candidates], weights, budget)
    assert selection.covered_weight == best


_TIED_SELECTION = """
import json
from newsroundup.roundup.candidates import Candidate
from newsroundup.roundup.select import select_sentences

def candidate(article, text, concepts):
    bigrams = frozenset((c, c) for c in concepts)
    return Candidate(article, 0, 0, len(text), text, (), (), bigrams, False, True, "")

# in exact arithmetic a and b state the same weight (0.1 + 0.2 + 0.3 = 0.6): a float sum in the order of a's
# set of concepts, which follows the process's string hashing, makes it 0.6 or 0.6000000000000001
weights = {("x", "x"): 0.1, ("y", "y"): 0.2, ("z", "z"): 0.3, ("w", "w"): 0.6}
a = candidate(0, "Alpha beta gamma.", ["x", "y", "z"])
b = candidate(1, "Delta epsilon zeta.", ["w"])
one = select_sentences([[a], [b]], weights, budget=3)
both = select_sentences([[a], [b]], weights, budget=6)
print(json.dumps([[c.text for c in one.chosen], one.covered_weight, both.covered_weight]))
"""


def test_a_selection_does_not_depend_on_the_processes_string_hashing() -> None:
    outputs = {
        subprocess.run([sys.executable, "-c", _TIED_SELECTION], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                       capture_output=True, text=True, check=True).stdout
        for seed in range(8)
    }
    assert len(outputs) == 1, outputs
