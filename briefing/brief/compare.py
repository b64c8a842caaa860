"""What changed in each actor's position since an earlier brief."""

from __future__ import annotations

from briefing.brief.models import Briefing, Change
from briefing.text import normalize


def changes(current: Briefing, previous: Briefing | None) -> list[Change]:
    if previous is None:
        return []
    before = {p.actor: p for p in previous.positions}
    out = []
    for p in current.positions:
        old = before.get(p.actor)
        old_points = {normalize(k.text): k.text for k in (old.key_points + [old.stance] if old else [])}
        new_points = [k for k in p.key_points + [p.stance] if p.has_position]
        added = [k for k in new_points if normalize(k.text) not in old_points]
        kept = {normalize(k.text) for k in new_points}
        dropped = [text for key, text in old_points.items() if key not in kept and old and old.has_position]
        out.append(
            Change(
                actor=p.actor, since=previous.date, added=added, dropped=dropped, unchanged=not added and not dropped
            )
        )
    return out
