"""Claims extraction: attribution accuracy (speaker, actor) against the labelled multi-outlet corpus, event-day and
quantity checks where the labels give them, and extraction speed (sentences/s with nlp.pipe).

Sentences are split the way ingest splits them (documents.read_path + splitting.split_sentences).

Run:  .venv/bin/python benchmarks/claims_accuracy.py [--corpus evals/multi_outlet] [--n-process 1] [--errors]
Target: attribution accuracy >= 0.95 (speaker and actor both right).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.claims import extract_many  # noqa: E402
from briefing.claims.nlp import load_nlp  # noqa: E402
from briefing.documents import read_path  # noqa: E402
from briefing.eval.corpus import speaker_matches  # noqa: E402
from briefing.splitting import split_sentences  # noqa: E402
from briefing.text import normalize  # noqa: E402


def load_corpus(corpus: Path):
    docs = []
    for path in sorted((corpus / "articles").glob("*.txt")):
        d = read_path(path)
        sents = split_sentences(d.text)
        docs.append((path.name, d, sents))
    return docs


def sentence_for(doc, sents, text: str):
    """The stored sentence holding the label text (the one with the most overlap)."""
    want = normalize(text)
    best, score = None, 0
    for s in sents:
        ns = normalize(s.text)
        if want in ns:
            return s
        # a label may run across a sentence break: the longest common run of words
        overlap = len(set(want.split()) & set(ns.split())) / max(1, len(set(want.split())))
        if overlap > score:
            best, score = s, overlap
    return best if score >= 0.8 else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "evals" / "multi_outlet"))
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--errors", action="store_true", help="print each wrong attribution")
    ap.add_argument("--repeat", type=int, default=3, help="speed: pipe the corpus + seeds this many times")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "labels.yaml").is_file() or not (corpus / "articles").is_dir():
        sys.exit(f"error: {corpus} has no labels.yaml and articles/ — give --corpus DIR")
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    people = labels.get("people") or {}
    docs = load_corpus(corpus)

    t0 = time.perf_counter()
    load_nlp()
    load_s = time.perf_counter() - t0
    items = [
        (
            {"id": name, "published": d.published, "source": d.source, "title": d.title, "text": d.text},
            [(s.idx, s.text, s.start, s.end) for s in sents],
        )
        for name, d, sents in docs
    ]
    claims = dict(zip([name for name, _, _ in docs], extract_many(items)))
    by_name = {name: (d, sents) for name, d, sents in docs}

    # attribution
    n = sp_ok = ac_ok = both_ok = missing = 0
    for lab in labels.get("attributions") or []:
        d, sents = by_name[lab["article"]]
        s = sentence_for(d, sents, lab["text"])
        if s is None:
            missing += 1
            continue
        c = claims[lab["article"]][s.idx]
        n += 1
        sp = speaker_matches(c.speaker, lab.get("speaker"), people)
        ac = c.actor == lab.get("actor")
        sp_ok += sp
        ac_ok += ac
        both_ok += sp and ac
        if args.errors and not (sp and ac):
            print(
                f"  x {lab['article']} [{lab.get('case', '')}] gold {lab.get('speaker')}/{lab.get('actor')} "
                f"got {c.speaker}/{c.actor} :: {s.text[:120]}"
            )
    print(f"attribution: {n} labelled sentences ({missing} not found)")
    if n:
        print(f"  speaker accuracy {sp_ok / n:.3f}  actor accuracy {ac_ok / n:.3f}  both {both_ok / n:.3f}")

    # event days: for each labelled event, the articles that report it should date it as labelled
    events = labels.get("events") or []
    ev_n = ev_ok = ev_dated = ev_wrong = 0
    for ev in events:
        true_day = ev.get("date")
        misdated = {m["article"]: m.get("date") for m in ev.get("misdated") or []}
        for art in ev.get("articles") or []:
            if art not in claims:
                continue
            want = misdated.get(art, true_day)
            want = date.fromisoformat(str(want)) if want else None
            label_stems = {w[:5] for w in normalize(str(ev.get("place") or ev.get("what") or "")).split() if len(w) > 3}
            days = {
                c.event_date
                for c in claims[art]
                if c.event and ":" in c.event and c.event.split(":")[1].split()[0][:5] in label_stems
            }
            dated = {x for x in days if x}
            ev_n += 1
            ev_ok += want in dated
            ev_dated += bool(dated)
            ev_wrong += bool(dated - {want})
            if args.errors and want not in dated:
                print(f"  x event {ev.get('id')} in {art}: want {want}, got {sorted(str(x) for x in dated)}")
    if ev_n:
        print(
            f"event days: {ev_ok}/{ev_n} article-event pairs dated as labelled ({ev_ok / ev_n:.3f}); "
            f"{ev_dated} pairs dated at all, {ev_wrong} of them with another day too"
        )

    # quantities and dates named in labelled disagreements: each number is read from its sentence, with the same
    # unit on every side of the disagreement; each date is the claim's event day in its sentence
    dis_section = labels.get("disagreements") or {}
    dis = dis_section.get("real") or dis_section.get("true") or []
    q_n = q_ok = u_n = u_ok = d_n = d_ok = 0
    for item in dis:
        units = []
        for side in item.get("sides") or []:
            raw = str(side.get("value"))
            try:
                want_day, value = date.fromisoformat(raw), None
            except ValueError:
                want_day = None
                try:
                    value = float(raw.replace(",", ""))
                except ValueError:
                    continue
            for m in side.get("mentions") or []:
                if m["article"] not in by_name:
                    continue
                d, sents = by_name[m["article"]]
                s = sentence_for(d, sents, m["text"])
                if s is None:
                    continue
                claim = claims[m["article"]][s.idx]
                if want_day is not None:
                    d_n += 1
                    d_ok += claim.event_date == want_day
                    if args.errors and claim.event_date != want_day:
                        print(f"  x date {want_day} in {m['article']}: got {claim.event_date} :: {s.text[:100]}")
                    continue
                q_n += 1
                hits = [q for q in claim.quantities if q.value == value]
                q_ok += bool(hits)
                if hits:
                    units.append(hits[0].unit)
                elif args.errors:
                    read = [(q.value, q.unit) for q in claim.quantities]
                    print(f"  x quantity {raw} in {m['article']}: {read} :: {s.text[:100]}")
        if len(units) >= 2:
            u_n += 1
            u_ok += len(set(units)) == 1
            if args.errors and len(set(units)) > 1:
                print(f"  x units differ for {item.get('id', '')}: {units}")
    if q_n:
        print(
            f"quantities: {q_ok}/{q_n} labelled numbers read ({q_ok / q_n:.3f}); same unit on all sides of a "
            f"disagreement {u_ok}/{u_n}"
        )
    if d_n:
        print(f"dates in disagreements: {d_ok}/{d_n} sentences carry the labelled event day ({d_ok / d_n:.3f})")

    # disagreements found from the claims, against the labelled real ones and the pairs that must not be flagged
    from briefing.claims.disagreements import find_disagreements

    all_claims = [c for cs in claims.values() for c in cs]
    found = find_disagreements(all_claims)

    def where(mentions):
        out = set()
        for m in mentions or []:
            if m["article"] in by_name:
                d, sents = by_name[m["article"]]
                s = sentence_for(d, sents, m["text"])
                if s is not None:
                    out.add((m["article"], str(s.idx)))
        return out

    def pairs(dis):
        return [{tuple(e) for e in side.evidence} for side in dis.sides]

    matched = set()
    hit = 0
    for item in dis:
        want = [where(side.get("mentions")) for side in item.get("sides") or []]
        ok = False
        for n, f in enumerate(found):
            got = pairs(f)
            covered = [any(w & g for g in got) for w in want]
            if sum(covered) >= 2 and not any(
                w & g1 and w & g2 for w in want for i, g1 in enumerate(got) for g2 in got[i + 1 :]
            ):
                ok = True
                matched.add(n)
        hit += ok
        if args.errors and not ok:
            print(f"  x disagreement missed: {item.get('id')}")
    false_flags = 0
    for item in dis_section.get("not_flag") or dis_section.get("not") or []:
        a, b = where(item["a"].get("mentions")), where(item["b"].get("mentions"))
        bad = any(
            any(a & g1 and b & g2 for i, g1 in enumerate(pairs(f)) for j, g2 in enumerate(pairs(f)) if i != j)
            for f in found
        )
        false_flags += bad
        if args.errors and bad:
            print(f"  x flagged but must not be: {item.get('id')}")
    if dis:
        print(
            f"disagreements: {len(found)} found; recall {hit}/{len(dis)} ({hit / len(dis):.3f}); "
            f"{len(matched)} of the found match a labelled one; must-not-flag pairs flagged "
            f"{false_flags}/{len(dis_section.get('not_flag') or dis_section.get('not') or [])}"
        )
        if args.errors:
            for n, f in enumerate(found):
                if n not in matched:
                    print(
                        f"  ? unlabelled: {f.event} {f.event_date} {f.what} {f.scope}: "
                        + " vs ".join(f"{s.value} ({', '.join(s.outlets)})" for s in f.sides)
                    )

    # speed
    texts_items = list(items)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        d = read_path(seed)
        texts_items.append(
            (
                {"id": seed.name, "published": d.published, "source": d.source, "title": d.title, "text": d.text},
                [(s.idx, s.text, s.start, s.end) for s in split_sentences(d.text)],
            )
        )
    total = sum(len(s) for _, s in texts_items) * args.repeat
    t, cpu = time.perf_counter(), time.process_time()
    extract_many(texts_items * args.repeat, n_process=args.n_process)
    dt, cpu = time.perf_counter() - t, time.process_time() - cpu
    import os

    load = os.getloadavg()[0]
    print(
        f"speed: {total} sentences in {dt:.2f} s = {total / dt:.0f} sentences/s wall (n_process={args.n_process}; "
        f"model load {load_s:.2f} s; load average {load:.1f} on {os.cpu_count()} cores)"
    )
    if args.n_process == 1:
        print(
            f"  {total / cpu:.0f} sentences per CPU-second (what one free core does; wall time on a busy "
            f"machine is worse)"
        )


if __name__ == "__main__":
    main()
