"""Tests for vectors.py: the bundled all-MiniLM-L6-v2 loads offline and embeds meaningfully."""

from __future__ import annotations

import numpy as np
import pytest

from newsroundup.vectors import DIMENSIONS, embed, load_embedder

QUAKE = "A strong earthquake struck the hill town of Velmora before dawn, collapsing buildings."
QUAKE_AGAIN = "An earthquake hit Velmora early on Monday and destroyed several houses in the old town."
MARATHON = "Amara Tesh won the Solvik Marathon on Sunday, breaking the course record by a minute."


def test_embeddings_are_unit_float32_rows_in_input_order() -> None:
    vectors = embed([QUAKE, MARATHON, QUAKE])
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2], atol=1e-6)


def test_similar_sentences_score_higher_than_unrelated_ones() -> None:
    quake, again, marathon = embed([QUAKE, QUAKE_AGAIN, MARATHON])
    assert float(quake @ again) > 0.6
    assert float(quake @ marathon) < 0.3


def test_a_text_embeds_the_same_alone_and_in_a_padded_batch() -> None:
    alone = embed([MARATHON])[0]
    batched = embed([QUAKE + " " + QUAKE_AGAIN, MARATHON, "Short."])[1]
    assert np.abs(alone - batched).max() < 1e-4


def test_no_texts_give_an_empty_matrix() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_model_is_loaded_once_per_process() -> None:
    assert load_embedder() is load_embedder()


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_text_still_gives_a_unit_vector(text: str) -> None:
    vector = embed([text])[0]
    assert np.isfinite(vector).all()
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_onnx_and_torch_backends_agree() -> None:
    texts = [QUAKE, QUAKE_AGAIN, MARATHON]
    onnx = embed(texts, backend="onnx")
    torch = embed(texts, backend="torch")
    assert np.abs(onnx - torch).max() < 1e-4
