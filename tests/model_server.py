"""An OpenAI-compatible server on loopback serving the embedded GGUF (SmolLM2 by default) with
llama.cpp's own HTTP server through xllamacpp — the same runtime and parameters as
briefing.llm.EmbeddedBackend, but listening on a port. Runs until it is sent SIGTERM.

    python tests/model_server.py --port 8080 [--alias smollm2-remote] [--gguf FILE]
"""

from __future__ import annotations

import argparse
import threading


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--alias", default="smollm2-remote")
    ap.add_argument("--gguf", default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ctx", type=int, default=4096)
    a = ap.parse_args()

    import xllamacpp

    from briefing.llm import smollm2_path

    p = xllamacpp.CommonParams()
    p.model.path = a.gguf or str(smollm2_path())
    p.model_alias = {a.alias}  # a set of names (a plain str would become a set of its letters)
    p.hostnames = [a.host]
    p.port = a.port
    p.n_ctx = a.ctx
    p.n_parallel = 1
    p.ui = False
    p.cpuparams.n_threads = p.cpuparams_batch.n_threads = a.threads
    p.cpuparams.poll = p.cpuparams_batch.poll = 0
    p.sampling.temp = 0
    p.verbosity = -1
    server = xllamacpp.Server(p)  # listens on host:port once loaded
    print(f"listening on {server.listening_address}", flush=True)
    threading.Event().wait()  # until SIGTERM (default action: exit)


if __name__ == "__main__":
    main()
