"""Tests for grouping/vectors.py: the bundled all-MiniLM-L6-v2 loads offline and embeds meaningfully."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from newsroundup.errors import NewsroundupError
from newsroundup.grouping.vectors import (
    DIMENSIONS,
    Backend,
    Embedder,
    ModelSettings,
    Vectors,
    build_models,
    cached_embed,
    configure,
    embed,
    embed_threads,
    load_embedder,
    model_path,
    onnx_model_path,
    quantized_model_path,
)

QUAKE = "A strong earthquake struck the hill town of Velmora before dawn, collapsing buildings."
QUAKE_AGAIN = "An earthquake hit Velmora early on Monday and destroyed several houses in the old town."
MARATHON = "Amara Tesh won the Solvik Marathon on Sunday, breaking the course record by a minute."
FERRY = "Ferry crews on the Orsk line ended their strike after the operator agreed to a new rota."
BUDGET = "The Dunmere council passed its budget late on Thursday, cutting library hours to save money."
LEADS = [QUAKE, MARATHON, FERRY, "Short.", QUAKE_AGAIN, BUDGET, ""]


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


@pytest.mark.parametrize("backend", ["onnx", "onnx-fp32"])
def test_a_text_embeds_the_same_alone_and_in_a_padded_batch(backend: Backend) -> None:
    alone = embed([MARATHON], backend=backend)[0]
    batched = embed([QUAKE + " " + QUAKE_AGAIN, MARATHON, "Short."], backend=backend)[1]
    assert np.abs(alone - batched).max() < 1e-4


def test_no_texts_give_an_empty_matrix() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_model_is_loaded_once_per_process() -> None:
    assert load_embedder() is load_embedder()
    assert load_embedder("torch", threads=2) is load_embedder("torch", threads=1)  # torch has no pool


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_text_still_gives_a_unit_vector(text: str) -> None:
    vector = embed([text])[0]
    assert np.isfinite(vector).all()
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_onnx_and_torch_backends_agree() -> None:
    texts = [QUAKE, QUAKE_AGAIN, MARATHON]
    onnx = embed(texts, backend="onnx-fp32")
    torch = embed(texts, backend="torch")
    assert np.abs(onnx - torch).max() < 1e-4


def test_int8_model_stays_close_to_the_float_model() -> None:
    texts = [QUAKE, QUAKE_AGAIN, MARATHON]
    int8 = embed(texts, backend="onnx")
    fp32 = embed(texts, backend="onnx-fp32")
    assert (int8 * fp32).sum(axis=1).min() > 0.98
    assert not np.array_equal(int8, fp32)  # really a different model


def test_models_are_built_by_the_explicit_step_only_and_once(tmp_path: Path) -> None:
    source = onnx_model_path(model_path())
    previous = configure(ModelSettings(cache=tmp_path))
    try:
        with pytest.raises(NewsroundupError, match="run `newsroundup models build`"):
            quantized_model_path(model_path())  # loading never builds
        (tmp_path / "models").mkdir()
        shutil.copy(source, tmp_path / "models" / source.name)  # skip the torch export, keep the quantizing
        made = build_models()
        assert [m.built for m in made] == [False, True]
        first = quantized_model_path(model_path())
        assert made[1].path == first and first.parent == tmp_path / "models"
        assert first.stat().st_size < source.stat().st_size / 3
        stamp = first.stat().st_mtime_ns
        assert [m.built for m in build_models()] == [False, False]  # cached: nothing built again
        assert first.stat().st_mtime_ns == stamp
        assert sorted(p.name for p in first.parent.iterdir()) == sorted([source.name, first.name])
    finally:
        configure(previous)


@pytest.mark.parametrize("backend", ["onnx", "onnx-fp32"])
def test_threads_give_the_serial_vectors_bit_for_bit_in_input_order(backend: Backend) -> None:
    serial = load_embedder(backend, threads=1)
    spread = load_embedder(backend, threads=2)
    assert serial.pool is None and spread.pool is not None
    # Batches of two for the float model, so it too has several batches to spread.
    expected = serial.embed(LEADS, batch_size=2, max_tokens=128)
    assert np.array_equal(spread.embed(LEADS, batch_size=2, max_tokens=128), expected)
    assert np.array_equal(spread.embed(LEADS[::-1], batch_size=2, max_tokens=128), expected[::-1])


def test_embedding_from_several_threads_at_once_gives_each_caller_its_own_vectors() -> None:
    embedder = load_embedder("onnx", threads=2)
    calls = [(LEADS, 128), (LEADS[::-1], 6), ([BUDGET, FERRY] * 3, 12)] * 2
    expected = [load_embedder("onnx", threads=1).embed(texts, max_tokens=tokens) for texts, tokens in calls]
    with ThreadPoolExecutor(len(calls)) as callers:
        got = list(callers.map(lambda call: embedder.embed(call[0], max_tokens=call[1]), calls))
    for vectors, wanted in zip(got, expected, strict=True):
        assert np.array_equal(vectors, wanted)
    assert not np.allclose(expected[0][::-1], expected[1])  # the token limits really differ


def test_repeated_calls_reuse_the_embedding_threads() -> None:
    embedder = load_embedder("onnx", threads=2)
    embedder.embed(LEADS)
    before = threading.active_count()
    for _ in range(10):
        embedder.embed(LEADS)
    assert threading.active_count() <= before + 1  # the pool may start its second thread, no more


def test_configured_threads_are_used_when_none_are_asked_for() -> None:
    previous = configure(ModelSettings(threads=1))
    try:
        assert embed_threads() == 1 and load_embedder("onnx").pool is None
    finally:
        configure(previous)


def test_cached_rows_are_the_model_rows_and_each_text_is_embedded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second call, a new process on the same folder and a repeated text embed nothing again; a damaged
    entry is embedded again, never read."""
    from newsroundup.annotate import parses

    embedded: list[str] = []
    real = Embedder.embed

    def counting(self: Embedder, texts: Sequence[str], batch_size: int = 32, max_tokens: int = 256) -> Vectors:
        embedded.extend(texts)
        return real(self, texts, batch_size=batch_size, max_tokens=max_tokens)

    monkeypatch.setattr(Embedder, "embed", counting)
    previous = parses.configure(parses.CacheSettings(folder=tmp_path / "cache"))
    try:
        texts = [QUAKE, MARATHON, QUAKE, FERRY]
        first = cached_embed(texts)
        assert np.array_equal(first, real(load_embedder(), texts))
        assert embedded == [QUAKE, MARATHON, FERRY]  # the repeated text once
        assert np.array_equal(cached_embed([FERRY, QUAKE]), first[[3, 0]]) and len(embedded) == 3
        parses.configure(parses.CacheSettings(folder=tmp_path / "cache"))  # as a new process: the folder kept
        assert np.array_equal(cached_embed([MARATHON]), first[[1]]) and len(embedded) == 3
        damaged = next(p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.stat().st_size == 4 * DIMENSIONS)
        damaged.write_bytes(b"\0" * (4 * DIMENSIONS))  # right size, not a unit row
        parses.configure(parses.CacheSettings(folder=tmp_path / "cache"))
        again = cached_embed(texts)
        assert np.array_equal(again, first) and len(embedded) == 4
    finally:
        parses.configure(previous)
