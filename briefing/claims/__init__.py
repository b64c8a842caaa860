"""Claims: who said what, for whom, about which event on which day, and what each number counts."""

from briefing.claims.disagreements import Disagreement, find_disagreements
from briefing.claims.extract import extract_claims, extract_many
from briefing.claims.models import Claim, Quantity

__all__ = ["Claim", "Disagreement", "Quantity", "extract_claims", "extract_many", "find_disagreements"]
