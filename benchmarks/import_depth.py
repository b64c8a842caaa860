"""The longest chain of internal imports in the briefing package (module → module it imports → ...).

Counts every `import briefing.x` / `from briefing.x import y` / relative import, including those inside
functions (a lazy import is still a dependency); imports under `if TYPE_CHECKING:` are not run and not
counted. Prints the chain and its length in modules; exits 1 when it is longer than the limit (default 9).
Usage: python benchmarks/import_depth.py [--max N]
"""

from __future__ import annotations

import argparse
import ast
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "briefing"


def modules(root: Path = ROOT) -> dict[str, Path]:
    out = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:  # `from briefing.x import func` → briefing.x
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)

    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                add(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for a in node.names:
                add(f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod)
    return {t for t in found if t.startswith(PACKAGE)}


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def longest_chain(graph: dict[str, set[str]]) -> list[str]:
    @lru_cache(maxsize=None)
    def best(mod: str, stack: frozenset) -> tuple[str, ...]:
        chains = [best(n, stack | {n}) for n in graph[mod] if n not in stack]
        return (mod,) + max(chains, key=len, default=())

    return list(max((best(m, frozenset({m})) for m in graph), key=len))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=9)
    limit = ap.parse_args().max
    known = modules()
    graph = {m: imports(m, p, known) for m, p in known.items()}
    chain = longest_chain(graph)
    short = [m.removeprefix(PACKAGE + ".") for m in chain]
    print(f"{len(known)} modules; longest internal import chain: {len(chain)} modules")
    print("  " + " → ".join(short))
    return 0 if len(chain) <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
