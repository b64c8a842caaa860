"""`briefing eval`: cases (cases), deterministic scorers (score), running the suite (run), brief checks
(briefs), the report and comparing two reports (report)."""
