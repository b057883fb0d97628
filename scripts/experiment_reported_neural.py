"""Experiment (not shipped): a BiLSTM reported-speech tagger over frozen MiniLM token states, against the CRF.

The CRF (annotate/reported_tagger.py) sees the parse and the rules' candidates but no word meaning; its
reported-content F1 on PolNeAR stalls (word clusters, out-of-fold stacking and marginal decoding all left it
within 0.005). This tagger reads, for each spaCy token, the hidden state of its first word piece from the bundled
all-MiniLM-L6-v2 (fp32 ONNX, each sentence encoded alone, frozen) and the CRF's own feature strings hashed into
a learned sum of vectors; a BiLSTM runs over the article and gives B/I/O log-probabilities, decoded by Viterbi
with the train labels' B/I/O transitions (weight ``LAMBDA``). Learned with torch on PolNeAR train only:

1. fitted on three quarters of train (``EPOCHS``), scored on the fourth, raw spans as the CRF's are scored there;
2. fitted on all of train, then plugged into the product in place of the CRF (``reported.tag``) and scored on the
   dev split by the same evaluation as ``bench_polnear.py`` (spans linked to a cue and a speaker).

Writes benchmarks/results/reported_neural_experiment.json. Needs torch (the ``torch`` embedding backend's).

    PYTHONPATH=src .venv/bin/python scripts/experiment_reported_neural.py [--cache DIR] [--epochs N]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import torch
from spacy.tokens import Doc
from train_reported_tagger import examples  # scripts/ is on the path when this file runs

from newsroundup.annotate import reported
from newsroundup.annotate.reported_tagger import Features, tag_spans
from newsroundup.evaluate import polnear
from newsroundup.evaluate.attribution import evaluate_polnear
from newsroundup.evaluate.attribution_score import Counts, match
from newsroundup.evaluate.polnear import AnnotatedArticle, gold_reported, load_polnear, locate_polnear
from newsroundup.grouping.vectors import DIMENSIONS, load_embedder

HASHED = 1 << 15  # feature strings hashed (CRC32) into this many learned vectors
LAMBDA = 0.3  # weight of the label transitions in decoding (0.2–0.5 score alike on the train quarter)
EPOCHS = 6
LABELS = "BIO"
RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "reported_neural_experiment.json"


class Inputs:
    """One article's tagger inputs: token states (tokens x 384), hashed feature ids per token, gold labels."""

    def __init__(self, states: np.ndarray, features: list[list[int]], labels: np.ndarray) -> None:
        self.states, self.features, self.labels = states, features, labels


def token_states(doc: Doc) -> np.ndarray:
    """The MiniLM hidden state of each token's first word piece, each sentence encoded alone (zeros for spaces)."""
    embedder = load_embedder("onnx-fp32")
    tokenizer = embedder.tokenizer
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    sentences = list(doc.sents)
    encodings = tokenizer.encode_batch([s.text for s in sentences])
    states = np.zeros((len(doc), DIMENSIONS), dtype=np.float32)
    order = sorted(range(len(sentences)), key=lambda i: len(encodings[i].ids))
    for lo in range(0, len(order), 32):
        rows = order[lo : lo + 32]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for k, i in enumerate(rows):
            ids[k, : len(encodings[i].ids)] = encodings[i].ids
            mask[k, : len(encodings[i].ids)] = 1
        hidden = embedder.encode(ids, mask)
        for k, i in enumerate(rows):
            base = sentences[i].start_char
            pieces = [(base + a, base + b) for a, b in encodings[i].offsets]
            for token in sentences[i]:
                end = token.idx + len(token.text)
                piece = next((j for j, (a, b) in enumerate(pieces) if b > a and token.idx <= a < end), None)
                if piece is not None:
                    states[token.i] = hidden[k, piece]
    tokenizer.enable_padding()  # as the embedder keeps it
    return states


def hashed(features: Features) -> list[list[int]]:
    return [[zlib.crc32(name.encode()) % HASHED for name in token] for token in features]


def inputs(articles: list[AnnotatedArticle]) -> list[tuple[AnnotatedArticle, Doc, Inputs]]:
    """The CRF's training examples of ``articles`` (``train_reported_tagger.examples``) with token states added."""
    return [
        (article, doc, Inputs(token_states(doc), hashed(features), np.array([LABELS.index(x) for x in labels])))
        for article, doc, features, labels in examples(articles)
    ]


class Tagger(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(HASHED, 64, mode="sum")
        self.project = torch.nn.Linear(DIMENSIONS + 64, 192)
        self.lstm = torch.nn.LSTM(192, 128, batch_first=True, bidirectional=True)
        self.out = torch.nn.Linear(256, len(LABELS))
        self.drop = torch.nn.Dropout(0.3)

    def forward(self, x: Inputs) -> torch.Tensor:
        flat = torch.tensor([i for token in x.features for i in token], dtype=torch.long)
        offsets = torch.tensor(np.cumsum([0] + [len(t) for t in x.features[:-1]]), dtype=torch.long)
        joined = torch.cat([torch.from_numpy(x.states), self.bag(flat, offsets)], 1)
        hidden, _ = self.lstm(torch.relu(self.project(self.drop(joined))).unsqueeze(0))
        return torch.log_softmax(self.out(self.drop(hidden[0])), 1)


def train(examples: list[Inputs], epochs: int) -> Tagger:
    torch.manual_seed(0)
    net = Tagger()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(epochs):
        started, total = time.perf_counter(), 0.0
        for k in np.random.default_rng(epoch).permutation(len(examples)):
            loss = torch.nn.functional.nll_loss(net(examples[k]), torch.from_numpy(examples[k].labels))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        seconds = time.perf_counter() - started
        print(f"epoch {epoch}: loss {total / len(examples):.4f} ({seconds:.0f} s)", file=sys.stderr)
    return net.eval()


def transitions(examples: list[Inputs]) -> np.ndarray:
    counts = np.ones((3, 3))
    for x in examples:
        np.add.at(counts, (x.labels[:-1], x.labels[1:]), 1)
    return np.log(counts / counts.sum(1, keepdims=True))


def decode(log_probs: np.ndarray, log_transitions: np.ndarray) -> list[str]:
    """Viterbi over the tagger's log-probabilities plus ``LAMBDA`` times the label transitions."""
    n = len(log_probs)
    if n == 0:
        return []
    score, back = log_probs[0].copy(), np.zeros((n, 3), dtype=np.int64)
    for t in range(1, n):
        candidates = score[:, None] + LAMBDA * log_transitions
        back[t] = candidates.argmax(0)
        score = candidates.max(0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return [LABELS[i] for i in reversed(path)]


def spans(net: Tagger, log_transitions: np.ndarray, doc: Doc, x: Inputs) -> list[tuple[int, int]]:
    with torch.no_grad():
        return tag_spans(doc, decode(net(x).numpy(), log_transitions))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    polnear.tool_options(parser, "only the first N train articles (a smoke run)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--inputs", type=Path, help="keep the train inputs (token states) in this pickle")
    args = parser.parse_args()
    polnear.keep_parses(args.cache)
    torch.set_num_threads(2)
    data = locate_polnear(args.data)
    if args.inputs and args.inputs.exists():
        examples = pickle.loads(args.inputs.read_bytes())
    else:
        examples = inputs(load_polnear(data, "train")[: args.limit])
        if args.inputs:
            args.inputs.write_bytes(pickle.dumps(examples))
    fit = [e for i, e in enumerate(examples) if i % 4]
    check = [e for i, e in enumerate(examples) if i % 4 == 0]
    net, log_t = train([x for _, _, x in fit], args.epochs), transitions([x for _, _, x in fit])
    quarter = Counts()
    for article, doc, x in check:
        gold = [(s, e) for s, e, _ in gold_reported(article)]
        found = spans(net, log_t, doc, x)
        quarter.matched += len(match(article.text, found, gold, 0.3))
        quarter.found += len(found)
        quarter.gold += len(gold)
    print("train quarter", quarter.scores(), file=sys.stderr)
    net, log_t = train([x for _, _, x in examples], args.epochs), transitions([x for _, _, x in examples])

    def neural_tag(_tagger: Any, doc: Doc, features: Features) -> list[tuple[int, int]]:
        return spans(net, log_t, doc, Inputs(token_states(doc), hashed(features), np.zeros(0, dtype=np.int64)))

    reported.tag = neural_tag  # the product's linking of tagged spans to cues and speakers, with this tagger
    dev = evaluate_polnear(data, "dev", peers=False, progress=True)["systems"]["newsroundup"]
    result: dict[str, Any] = {
        "experiment": "BiLSTM over frozen MiniLM token states + hashed CRF features (not shipped)",
        "epochs": args.epochs, "lambda": LAMBDA, "train_articles": len(examples),
        "train_quarter_raw_spans@0.3": quarter.scores(),
        "dev_product_with_neural_tagger": {k: dev[k] for k in ("reported@0.3", "reported@0.8", "direct@0.3")},
    }
    if args.limit is None:
        RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
