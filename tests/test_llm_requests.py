"""What the embedded backend sends llama.cpp, and what the response cache keys on."""

from __future__ import annotations

import json

from briefing.llm import LLM, compact_json

SCHEMA = {
    "type": "object",
    "properties": {"citations": {"type": "array", "items": {"enum": ["E1", "E2"]}}},
    "required": ["citations"],
}


def test_a_json_schema_becomes_a_grammar_without_free_whitespace():
    request = {
        "messages": [{"role": "user", "content": "q"}],
        "max_tokens": 9,
        "response_format": {"type": "json_schema", "json_schema": {"name": "C", "schema": SCHEMA}},
    }
    sent = compact_json(request)
    assert "response_format" not in sent and sent["messages"] == request["messages"] and sent["max_tokens"] == 9
    head, body = sent["grammar"].split("%json ", 1)
    assert head.startswith("%llguidance {}\nstart: ")
    assert json.loads(body) == {**SCHEMA, "additionalProperties": False, "x-guidance": {"whitespace_flexible": False}}
    assert "x-guidance" not in SCHEMA and "additionalProperties" not in SCHEMA  # the caller's schema is not modified


def test_nested_objects_get_no_extra_properties_unless_the_schema_allows_them():
    point = {"type": "object", "properties": {"text": {"type": "string"}}}
    schema = {
        "type": "object",
        "properties": {
            "points": {"type": "array", "items": {"$ref": "#/$defs/Point"}},
            "meta": {"type": "object", "properties": {}, "additionalProperties": True},
        },
        "$defs": {"Point": point},
    }
    request = {
        "messages": [],
        "response_format": {"type": "json_schema", "json_schema": {"name": "B", "schema": schema}},
    }
    sent = json.loads(compact_json(request)["grammar"].split("%json ", 1)[1])
    assert sent["additionalProperties"] is False and sent["$defs"]["Point"]["additionalProperties"] is False
    assert sent["properties"]["meta"]["additionalProperties"] is True


def test_a_request_without_a_schema_is_sent_as_it_is():
    request = {"messages": [], "response_format": {"type": "json_object"}}
    assert compact_json(request) is request


def test_a_cached_response_is_not_reused_across_decodings(settings, tmp_path):
    from pydantic import BaseModel

    from briefing.cache import ResponseCache
    from fakes import FakeBackend

    class Choice(BaseModel):
        citations: list[str]

    class CompactFake(FakeBackend):
        decoding = " compact-json"

    cache = ResponseCache(tmp_path / "cache")
    messages = [{"role": "user", "content": "q"}]
    plain, compact = FakeBackend(['{"citations": ["E1"]}']), CompactFake(['{"citations":["E2"]}'])
    first = LLM(plain, settings, cache=cache).structured("t", "h", messages, Choice)
    again = LLM(FakeBackend(), settings, cache=cache).structured(
        "t", "h", messages, Choice
    )  # no responses queued: must hit
    other = LLM(compact, settings, cache=cache).structured("t", "h", messages, Choice)
    assert first.value.citations == again.value.citations == ["E1"] and again.cached
    assert other.value.citations == ["E2"] and not other.cached and len(compact.requests) == 1
