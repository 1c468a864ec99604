"""The accessibility statement's facts, kept in a data file next to the accessibility suite,
so the suite can check that the statement lists exactly the failures it finds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from webapp.settings import PROJECT_ROOT

STATEMENT_FILE = PROJECT_ROOT / "accessibility" / "statement.json"


@dataclass(frozen=True)
class KnownIssue:
    id: str  # stable name, used by the accessibility suite's report
    summary: str
    criterion: str  # e.g. "1.4.10 Reflow"
    plan: str
    # Which automated finding this is: {"check", "pages" (globs), "contains"}. The accessibility
    # suite fails if a listed issue is no longer found, or a failure is found that is not listed.
    match: dict[str, object] | None = None


@dataclass(frozen=True)
class Statement:
    prepared: str
    last_reviewed: str
    tested_by: str
    manual_audit: bool
    known_issues: tuple[KnownIssue, ...]

    @property
    def fully_compliant(self) -> bool:
        # Without an audit by a person we cannot claim full compliance, whatever the tools say.
        return self.manual_audit and not self.known_issues


@lru_cache(maxsize=1)
def load_statement() -> Statement:
    data = json.loads(STATEMENT_FILE.read_text(encoding="utf-8"))
    return Statement(
        prepared=data["prepared"],
        last_reviewed=data["last_reviewed"],
        tested_by=data["tested_by"],
        manual_audit=bool(data["manual_audit"]),
        known_issues=tuple(
            KnownIssue(
                id=issue["id"],
                summary=issue["summary"],
                criterion=issue["criterion"],
                plan=issue["plan"],
                match=issue.get("match"),
            )
            for issue in data["known_issues"]
        ),
    )
