"""Eval cases (evals/*.yaml), loaded and checked into typed models."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from briefing.errors import InputError

Fact = list[str]  # alternatives: any one counts


class QuestionCase(BaseModel):
    id: str
    question: str
    answerable: bool
    facts: list[Fact] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    why: str | None = None
    absent_terms: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _facts_for_answerable(self):
        if self.answerable and not self.facts:
            raise ValueError("an answerable case needs facts")
        return self


class AdversarialCase(QuestionCase):
    articles: list[str]
    expected: str


class BriefCheck(BaseModel):
    id: str
    kind: Literal["position", "key_fact", "disagreement", "headline"]
    actor: str | None = None
    must_contain: list[Fact] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)


class BriefSuite(BaseModel):
    date: date
    actors: list[str]
    checks: list[BriefCheck]


class Suite(BaseModel):
    questions: list[QuestionCase]
    adversarial: list[AdversarialCase] = Field(default_factory=list)
    briefs: BriefSuite | None = None
    thresholds: dict[str, float | None] = Field(default_factory=dict)
    folder: Path


def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise InputError(f"eval file {path} cannot be read", "check --cases") from None
    except yaml.YAMLError as exc:
        raise InputError(f"eval file {path} is not valid YAML ({str(exc).splitlines()[0]})", "fix the file") from None
    if not isinstance(data, dict):
        raise InputError(f"eval file {path} should hold a mapping", "see the format in its header comment")
    return data


def load_suite(folder: Path) -> Suite:
    if not (folder / "questions.yaml").is_file():
        raise InputError(f"{folder} has no questions.yaml", "point --cases at the evals/ folder")
    try:
        questions = [QuestionCase(**c) for c in _load(folder / "questions.yaml")["cases"]]
        adversarial = (
            [AdversarialCase(**c) for c in _load(folder / "adversarial.yaml")["cases"]]
            if (folder / "adversarial.yaml").is_file()
            else []
        )
        briefs = BriefSuite(**_load(folder / "briefs.yaml")) if (folder / "briefs.yaml").is_file() else None
        thresholds = _load(folder / "thresholds.yaml") if (folder / "thresholds.yaml").is_file() else {}
        suite = Suite(questions=questions, adversarial=adversarial, briefs=briefs, thresholds=thresholds, folder=folder)
    except (ValidationError, KeyError, TypeError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
        raise InputError(
            f"eval cases in {folder} are malformed at {'.'.join(map(str, first['loc']))}: {first['msg']}",
            "fix the case",
        ) from None
    ids = [c.id for c in suite.questions + suite.adversarial] + (
        [c.id for c in suite.briefs.checks] if suite.briefs else []
    )
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"duplicate eval case ids: {', '.join(dupes)}", "make every id unique")
    return suite
