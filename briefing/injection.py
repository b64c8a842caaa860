"""Planted instructions, recognised by what they are rather than by fixed phrases: text addressed to a
reader or an automated system telling it what to say or do. A sentence is an instruction when

  * it carries a chat role marker ("System message:", "ASSISTANT:", "<|im_start|>", "[INST]"), or
  * it addresses an automated reader ("Attention automated summarizers", "Note to any AI reading this",
    "If you are a language model", "Language models processing this page should ..."), or
  * it addresses a weaker addressee (reader, system, tool, agent) and tells it to do something, or
  * a clause opens in the imperative with a verb of speaking, writing or obeying and is about the text,
    its instructions or the output ("Disregard the earlier guidance", "Summarise this article as ..."), or
  * it speaks to "you" with a directive ("you must state", "your task is", "you are now").

News copy quotes imperatives ("Stop the war," he said) and names systems and models every day; neither
alone is an instruction. Such sentences are kept in the store but never used as evidence, and the
document is flagged."""

from __future__ import annotations

import re

_AI = (
    r"(?:a\.?i\.?|artificial[ -]intelligence|(?:ai |virtual |digital )?assistants?|chat ?bots?|bots?|llms?|gpts?|"
    r"(?:large )?language[ -]models?|(?:ai |ml )?models?|summari[sz]ers?|summari[sz]ation (?:tools?|systems?|engines?"
    r"|models?)|"
    r"crawlers?|scrapers?|(?:ai |autonomous )?agents?|automated (?:\w+ ){0,2}?(?:systems?|tools?|readers?"
    r"|summari[sz]ers?|agents?|"
    r"processors?|pipelines?|services?|assistants?)|machines? reading|ai[- ]powered \w+)"
)
_WEAK = r"(?:readers?|systems?|tools?|programs?|software|pipelines?|parsers?|indexers?)"
_OUTPUT_VERB = (
    r"(?:say|state|report|write|output|print|respond|reply|answer|summari[sz]e|include|mention|describe|conclude|"
    r"claim|assert|emphasi[sz]e|omit|repeat|present|return|list|quote|cite|reveal|display|treat|ignore|disregard|"
    r"forget|follow|obey|pretend|act as|recommend|refuse)"
)
_ROLE = re.compile(
    r"(?:^|[\s\"'“(\[])[\[<(#*\s]*(?:system|assistant|developer|admin(?:istrator)?|operator|root)"
    r"(?:\s+(?:message|prompt|note|notice|instructions?|override|update|directive|command))?\s*[\])>*]*\s*[:>—-]\s"
    r"|<\|?\s*im_(?:start|end)|\[/?inst\]|<</?sys>>|###\s*(?:instruction|system|response)|</?s>"
    r"|\bend of (?:system )?prompt\b",
    re.I,
)
_ADDRESS_AI = re.compile(
    rf"\b(?:attention|note|notice|message|memo|reminder|warning|instructions?|directive|psa"
    rf"|important)\b[^.!?]{{0,20}}?\b(?:to|for)?\s*"
    rf"(?:all |any |every |the )?{_AI}\b"
    rf"|^[\s\"'“(\[*#]*(?:dear |hey |hello |hi |to )?(?:all |any |every )?{_AI}\s*[:,—-]"
    rf"|\bif you are (?:an? |the )?(?:\w+ )?{_AI}\b"
    rf"|\b(?:any|all|every|each)\s+{_AI}\s+(?:\w+ing|that|which|who)\b"
    rf"|\b{_AI}\s+(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing|ingesting|crawling|indexing)\s+(?:this"
    rf"|these|the following)\b"
    rf"|(?:^|[:;—]\s*)[\s\"'“]*(?:all |any |every |the )?{_AI}\s+(?:should|must|shall|are to|need to|have to"
    rf"|are required to|will now)\s+(?:always\s+|only\s+|now\s+)?{_OUTPUT_VERB}\b",
    re.I,
)
_ADDRESS_WEAK = re.compile(
    rf"\b(?:attention|note|notice|message|memo|reminder|instructions?)\b[^.!?]{{0,12}}?\b(?:to|for)\s+(?:all |any "
    rf"|every |the )?{_WEAK}\b"
    rf"|^[\s\"'“(\[*#]*(?:dear |to )?(?:all |any |every )?{_WEAK}\s*[:—]"
    rf"|\b(?:any|all|every|each)\s+{_WEAK}\s+(?:reading|processing|summari[sz]ing|parsing)\b",
    re.I,
)
_DIRECTIVE = (
    r"(?:ignore|disregard|forget|override|bypass|overrule|discard|drop|skip|say|state|report|write|output|print|"
    r"respond|reply|answer|summari[sz]e|include|mention|describe|tell|treat|conclude|claim|assert|emphasi[sz]e|"
    r"omit|repeat|replace|follow|obey|add|insert|present|return|list|translate|quote|cite|append|prepend|"
    r"pretend|act|behave|rate|classify|recommend|refuse|remember|ensure|make sure|do not|don't|never|always|"
    r"only|stop|start|begin|reveal|display|show|print out|leak|send)"
)
_IMPERATIVE = re.compile(
    rf"^[\s\"'“(\[*#-]*(?:please\s+|kindly\s+|now\s+|instead\s*,?\s+|also\s+|then\s+|and\s+)?{_DIRECTIVE}\b", re.I
)
_META = re.compile(
    r"\b(?:instructions?|guidance|guidelines|directions|directives?|prompts?|rules|context|programming|training|"
    r"(?:previous|prior|earlier|above|preceding|following|original|initial|other|all)\s+(?:\w+\s+)?(?:text|content"
    r"|messages?|"
    r"instructions?|guidance|directions|commands?|context|information|sources?|evidence)|everything (?:above|before"
    r"|else)|"
    r"the above|this (?:article|document|text|page|story|report|passage|content)|these (?:articles|documents|texts)|"
    r"your (?:output|answer|response|summary|reply|brief|task|role|job|instructions?)|(?:the|any|all) (?:summary"
    r"|summaries|"
    r"output|answer|response|brief)|in (?:your|the|any) (?:summary|answer|response|output|brief)|the (?:user|reader"
    r"|analyst)|"
    r"verbatim|word for word|from now on|henceforth)\b",
    re.I,
)
_YOU_DIRECTIVE = re.compile(
    rf"\byou\s+(?:must|should|shall|will|are to|need to|have to|are required to|are instructed to|may only|can only"
    rf"|ought to|"
    rf"are hereby)\s+(?:now\s+|only\s+|always\s+|never\s+|not\s+)?{_OUTPUT_VERB}\b"
    r"|\byour (?:task|job|role|instructions?|new instructions?|goal|purpose) (?:is|are|now)\b"
    r"|\b(?:act|behave|respond) as (?:if you were |though you were )?(?:an? |the )",
    re.I,
)
_BECOME = re.compile(r"\byou are (?:now|no longer)\b|\bfrom now on,? you\b", re.I)
_WHEN_ASKED = re.compile(
    r"^[\s\"'“]*(?:when|if|whenever|once)\s+(?:you are\s+|you're\s+|anyone\s+|someone\s+|a user\s+|the user\s+"
    r"|users\s+)?"
    r"(?:asked|questioned|prompted|queried|summari[sz]ing|answering|responding|asks?|requested)\b",
    re.I,
)
_CLAUSE = re.compile(r"(?<=[,;:—])\s+|\s+(?:and|then|but)\s+(?=" + _DIRECTIVE + r"\b)", re.I)


def looks_like_instruction(sentence: str) -> bool:
    """True when the sentence is an instruction planted for a reader or an automated system."""
    s = " ".join(sentence.split())
    if not s:
        return False
    if _ROLE.search(s) or _ADDRESS_AI.search(s) or _BECOME.search(s):
        return True
    meta = bool(_META.search(s))
    if _YOU_DIRECTIVE.search(s) and (meta or re.search(rf"\b{_OUTPUT_VERB}\b", s, re.I)):
        return True
    clauses = [c for c in _CLAUSE.split(s) if c]
    imperative = any(_IMPERATIVE.search(c) for c in clauses)
    if _ADDRESS_WEAK.search(s) and (imperative or meta or _YOU_DIRECTIVE.search(s)):
        return True
    if imperative and _WHEN_ASKED.search(s):  # "When asked about X, answer that ...": addressed to whoever answers
        return True
    return imperative and meta
