"""The false `generated` brief of the drill, replayed by the fake model on the seeds: a United States stance
that joins a Trump quote to another sentence, a Russia stance cut off at "... will be treated as", repeated
as all five key points. None of it may come out as `generated`, and no item repeats."""

from __future__ import annotations

import json
import re
from datetime import date

from briefing.brief.build import build_brief
from briefing.text import normalize
from fakes import FakeBackend

INVENTED_US = (
    "The United States has rejected the offer of sending ground troops to India and Russia, "
    "and has offered intelligence support to China."
)
CUT_RUSSIA = (
    "Russian President Vladimir Putin issued a stark warning that any Western troops deployed to Ukraine "
    "would be treated as"
)


class ReplayingModel(FakeBackend):
    """Answers each position request with the drill's output, citing the ids of the sentences it was made from."""

    def create(self, **request):
        user = request["messages"][1]["content"]
        ids = dict(re.findall(r"^(E\d+): (.*)$", user, re.M))

        def cite(*phrases):
            found = [i for i, text in ids.items() if any(p in text for p in phrases)]
            return found[:3] or [next(iter(ids))]

        if "Write the position of United States" in user:
            self.push(
                {
                    "stance": INVENTED_US,
                    "stance_citations": cite("ruled out sending ground troops", "lost India and Russia"),
                    "key_points": [
                        {
                            "text": INVENTED_US,
                            "citations": cite("ruled out sending ground troops", "lost India and Russia"),
                        }
                    ],
                }
            )
        elif "Write the position of Russia" in user:
            point = {"text": CUT_RUSSIA, "citations": cite("would be treated as")}
            self.push(
                {"stance": CUT_RUSSIA, "stance_citations": cite("would be treated as"), "key_points": [point] * 5}
            )
        else:
            self.push("{not json")
        return super().create(**request)


def test_the_default_brief_asks_no_model(seeded):
    backend = ReplayingModel()
    seeded.llm.backend = backend
    brief = build_brief(seeded, date(2025, 9, 5), 1, ["Russia", "United States"])
    assert not backend.requests and brief.llm_calls == 0
    assert not any(item.mode == "generated" for p in brief.positions for item in [p.stance, *p.key_points])


def test_the_drill_brief_is_not_generated(seeded):
    backend = ReplayingModel()
    seeded.llm.backend = backend
    seeded.settings.llm_base_url = "http://127.0.0.1:9/v1"  # a model server words positions (the fake answers)
    brief = build_brief(seeded, date(2025, 9, 5), 1, ["Russia", "United States"])
    assert backend.requests  # the model was asked, and answered as in the drill
    items = [(p.actor, item) for p in brief.positions for item in [p.stance, *p.key_points]]
    generated = [item.text for _, item in items if item.mode == "generated"]
    assert not any("China" in t or t.rstrip().endswith("treated as") for t in generated), generated
    for p in brief.positions:
        texts = [normalize(i.text) for i in [p.stance, *p.key_points]]
        assert len(texts) == len(set(texts)), (p.actor, texts)
    # what is shown instead is quoted evidence, verbatim
    assert all(item.mode == "extractive" for _, item in items) and json.loads(brief.model_dump_json())
