"""Repository functions never commit: a request's or a job's work commits (or rolls back) once,
in its own unit of work (webapp.store.db.unit_of_work), so a failure half-way writes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import webapp.store

STORE = Path(webapp.store.__file__).parent
# db.py defines the unit of work itself: the one place in the store that commits.
MODULES = sorted(path for path in STORE.glob("*.py") if path.name != "db.py")


def commits_in(source: str) -> list[int]:
    """Line numbers of every `<anything>.commit(...)` call."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


def test_the_check_finds_a_commit() -> None:
    assert commits_in("async def f(session):\n    await session.commit()\n") == [2]
    assert commits_in("async def f(self):\n    await self.session.commit()\n") == [2]


def test_the_store_has_modules_to_check() -> None:
    assert {"drafts.py", "outbox.py", "resume.py", "staff.py", "cases.py"} <= {
        path.name for path in MODULES
    }


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_repository_functions_never_commit(module: Path) -> None:
    lines = commits_in(module.read_text(encoding="utf-8"))
    assert lines == [], (
        f"{module.name} commits at line(s) {lines}: the caller's unit of work commits"
    )


def test_only_the_unit_of_work_commits_in_db() -> None:
    source = (STORE / "db.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    owners = [
        function.name
        for function in ast.walk(tree)
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
        and commits_in(ast.unparse(function))
    ]
    assert owners == ["unit_of_work"]
