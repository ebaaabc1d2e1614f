"""The layering holds: no import cycle between smartapp's packages, the libraries import neither Flask
nor the models, and nothing below the web layer reaches for the running app (`current_app`)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "smartapp"
LIBRARIES = ("fhir", "coding", "documents")                 # plain libraries: no Flask, no ORM, no services
WEB_LAYER = ("web", "api", "factory", "__init__")           # the only places that may use current_app


def _unit(path: Path) -> str:
    """The package (or top-level module) a file belongs to: smartapp/runs/x.py → 'runs'."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[str]:
    """Modules imported at run time (imports under `if TYPE_CHECKING:` are for the type checker only)."""
    tree = ast.parse(path.read_text())
    typing_only = {id(node) for guard in ast.walk(tree)
                   if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.dump(guard.test)
                   for node in ast.walk(guard)}
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        here = _unit(path)
        for module in _imports(path):
            if module.startswith("smartapp."):
                there = module.split(".")[1]
                if there != here:
                    graph[here].add(there)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every edge a → b where b also reaches a, as the path that closes the loop."""
    def path(start: str, goal: str) -> list[str] | None:
        stack, seen = [(start, [start])], {start}
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == goal:
                    return [*trail, nxt]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    return [[a, *loop] for a in sorted(graph) for b in sorted(graph[a]) if (loop := path(b, a))]


def test_no_import_cycle_between_packages() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})[0] == ["a", "b", "c", "a"]


def test_libraries_import_neither_flask_nor_models_nor_services() -> None:
    offenders = []
    for library in LIBRARIES:
        for path in (PACKAGE / library).rglob("*.py"):
            for module in _imports(path):
                top = module.split(".")
                if top[0] in ("flask", "flask_login", "flask_wtf", "sqlalchemy") or (
                        top[0] == "smartapp" and len(top) > 1 and top[1] not in LIBRARIES):
                    offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_current_app_only_in_the_web_layer() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in [*PACKAGE.rglob("*.py"), *(ROOT / "workers").rglob("*.py")]
                 if "current_app" in path.read_text()
                 and not (path.is_relative_to(PACKAGE) and _unit(path) in WEB_LAYER)]
    assert offenders == []
