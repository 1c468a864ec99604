"""Findings, the known issues the accessibility statement lists, and the report.

Every check records a result per page: passed, failed (a finding), or "review" (something a person
must look at, such as axe's incomplete results). A failure that matches a known issue in
statement.json is "known"; any other failure fails the suite, and so does a known issue that no
check finds any more (it has been fixed: take it out of the statement).
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "accessibility"
STATEMENT = Path(__file__).resolve().parent / "statement.json"

# What each check proves, for the report and the statement.
CHECKS: dict[str, str] = {
    "axe": "axe-core, WCAG 2.0/2.1/2.2 A and AA rules and target-size",
    "structure": "2.4.2 title, 1.3.1 one h1 and headings in order, landmarks, 3.1.1/3.1.2 language, 4.1.1 ids",
    "titles-unique": "2.4.2 every page title is unique and names the page",
    "autocomplete": "1.3.5 identify input purpose",
    "target-size": "2.5.8 target size (minimum) 24 by 24 CSS pixels",
    "input-contrast": "1.4.11 non-text contrast of input, radio and checkbox edges",
    "focus-visible": "2.4.7 focus visible, 1.4.11 focus indicator contrast, 2.4.11 focus not obscured",
    "focus-screenshot": "2.4.7 focus visible, by comparing screenshots with and without focus",
    "keyboard": "2.1.1 keyboard, 2.1.2 no keyboard trap, 2.4.3 focus order, 2.4.1 skip link",
    "errors": "3.3.1 error identification, 3.3.3 error suggestion: title, focus, summary links, input kept",
    "reflow": "1.4.10 reflow at 320 CSS pixels, 1.4.4 resize text at 200% and 400% zoom",
    "text-spacing": "1.4.12 text spacing",
    "forced-colours": "1.4.11 and 2.4.7 in forced colours (high contrast) mode",
    "reduced-motion": "2.3.3 no motion with prefers-reduced-motion",
    "no-javascript": "every journey completes with JavaScript off",
    "redundant-entry": "3.3.7 redundant entry",
    "authentication": "3.3.8 accessible authentication (paste allowed, no cognitive test)",
    "pdf": "PDF/UA basics: tagged, title shown, language set",
}


@dataclass
class Finding:
    check: str
    page: str
    message: str
    url: str = ""
    target: str = ""
    status: str = "fail"  # fail | review | known
    known_issue: str = ""
    screenshot: str = ""

    @property
    def key(self) -> str:
        return f"{self.check}|{self.page}|{self.target}|{self.message}"


@dataclass
class KnownIssue:
    id: str
    check: str
    pages: list[str]
    contains: str = ""

    def matches(self, finding: Finding) -> bool:
        if finding.check != self.check and not finding.check.startswith(self.check + ":"):
            return False
        if not any(fnmatch.fnmatchcase(finding.page, pattern) for pattern in self.pages):
            return False
        return self.contains.lower() in f"{finding.target} {finding.message}".lower()


def load_known_issues() -> list[KnownIssue]:
    data = json.loads(STATEMENT.read_text(encoding="utf-8"))
    issues = []
    for issue in data.get("known_issues", []):
        match = issue["match"]
        issues.append(
            KnownIssue(issue["id"], match["check"], list(match["pages"]), match.get("contains", ""))
        )
    return issues


@dataclass
class Audit:
    """Everything the suite found in this run."""

    known: list[KnownIssue] = field(default_factory=load_known_issues)
    findings: list[Finding] = field(default_factory=list)
    results: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (page, check) -> pass|fail|review|known
    urls: dict[str, str] = field(default_factory=dict)
    checks_done: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    seen_outside: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)

    def passed(self, page: str, check: str, url: str = "") -> None:
        self.checks_done.add(check.split(":")[0])
        if url:
            self.urls.setdefault(page, url)
        self.results.setdefault((page, check.split(":")[0]), "pass")

    def add(self, finding: Finding, page_obj: Any = None) -> Finding:
        check = finding.check.split(":")[0]
        self.checks_done.add(check)
        if finding.url:
            self.urls.setdefault(finding.page, finding.url)
        if finding.status == "fail":
            issue = next((issue for issue in self.known if issue.matches(finding)), None)
            if issue is not None:
                finding.status, finding.known_issue = "known", issue.id
            elif page_obj is not None:
                finding.screenshot = screenshot(page_obj, finding)
        if any(existing.key == finding.key for existing in self.findings):
            return finding
        self.findings.append(finding)
        rank = {"pass": 0, "review": 1, "known": 2, "fail": 3}
        current = self.results.get((finding.page, check), "pass")
        if rank[finding.status] >= rank[current]:
            self.results[(finding.page, check)] = finding.status
        return finding

    def fail(
        self,
        check: str,
        page: str,
        message: str,
        *,
        url: str = "",
        target: str = "",
        page_obj: Any = None,
    ) -> None:
        self.add(Finding(check, page, message, url=url, target=target), page_obj)

    def review(
        self, check: str, page: str, message: str, *, url: str = "", target: str = ""
    ) -> None:
        self.add(Finding(check, page, message, url=url, target=target, status="review"))

    def unexpected(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail" and f.check.split(":")[0] == check]

    def assert_none(self, check: str) -> None:
        failures = self.unexpected(check)
        if failures:
            lines = [
                f"{len(failures)} {check} failure(s) not listed in accessibility/statement.json:"
            ]
            lines += [
                f"- {f.page}: {f.target + ' – ' if f.target else ''}{f.message}"
                for f in failures[:40]
            ]
            raise AssertionError("\n".join(lines))

    def fixed_known_issues(self) -> list[KnownIssue]:
        """Known issues whose check ran in full this time and found nothing."""
        seen = {f.known_issue for f in self.findings if f.status == "known"}
        return [
            issue
            for issue in self.known
            if issue.id not in seen and issue.check.split(":")[0] in self.checks_done
        ]


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def screenshot(page: Any, finding: Finding) -> str:
    """A full-page screenshot for a failure, with the failing element outlined if it can be found."""
    try:
        shots = OUT / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        name = _SAFE.sub("_", f"{finding.page}-{finding.check}")[:120] + ".png"
        path = shots / name
        if not path.exists():
            page.screenshot(path=str(path), full_page=True)
        return f"screenshots/{name}"
    except Exception:  # noqa: BLE001 - a page that is mid-navigation: the finding still stands without a picture
        return ""


def write_report(audit: Audit) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = sorted({page for page, _ in audit.results})
    checks = [check for check in CHECKS if any((page, check) in audit.results for page in pages)]
    counts = Counter(f.status for f in audit.findings)
    fixed = audit.fixed_known_issues()
    esc = html.escape
    symbol = {"pass": "✓", "fail": "✗ fail", "review": "? review", "known": "! known"}
    rows = []
    for page in pages:
        cells = "".join(
            f'<td class="{audit.results.get((page, check), "na")}">{symbol.get(audit.results.get((page, check), ""), "")}</td>'
            for check in checks
        )
        url = audit.urls.get(page, "")
        rows.append(
            f'<tr><th scope="row">{esc(page)}<br><small>{esc(url)}</small></th>{cells}</tr>'
        )
    findings = defaultdict(list)
    for f in audit.findings:
        findings[f.status].append(f)

    def table(items: list[Finding]) -> str:
        if not items:
            return "<p>None.</p>"
        out = [
            '<table><thead><tr><th scope="col">Page</th><th scope="col">Check</th><th scope="col">Element</th>'
            '<th scope="col">Result</th><th scope="col">Screenshot</th></tr></thead><tbody>'
        ]
        for f in items:
            shot = (
                f'<a href="{esc(f.screenshot)}"><img src="{esc(f.screenshot)}" alt="Screenshot of {esc(f.page)}" width="200"></a>'
                if f.screenshot
                else ""
            )
            known = f" (known issue {esc(f.known_issue)})" if f.known_issue else ""
            out.append(
                f"<tr><td>{esc(f.page)}<br><small>{esc(f.url)}</small></td><td>{esc(f.check)}</td>"
                f"<td><code>{esc(f.target)}</code></td><td>{esc(f.message)}{known}</td><td>{shot}</td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)

    legend = "".join(f"<li><strong>{esc(c)}</strong>: {esc(d)}</li>" for c, d in CHECKS.items())
    fixed_html = "".join(f"<li>{esc(i.id)}</li>" for i in fixed) or "<li>None.</li>"
    notes = "".join(f"<li>{esc(n)}</li>" for n in audit.notes)
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Accessibility report – Blue Lamp</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:Arial,sans-serif;margin:1rem;color:#0b0c0c;line-height:1.4}}
table{{border-collapse:collapse;margin-bottom:2rem}} th,td{{border:1px solid #b1b4b6;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}}
td.pass{{color:#005a30}} td.fail{{background:#f4cdc6;color:#2a0b06;font-weight:bold}} td.review{{background:#fff7bf}} td.known{{background:#fcd6c3}}
small{{color:#484949}} a:focus{{outline:3px solid #ffdd00;background:#ffdd00;color:#0b0c0c}}
.matrix{{overflow-x:auto}}
</style></head><body><main>
<h1>Accessibility report</h1>
<p>{len(pages)} pages and states, {len(checks)} checks. Unlisted failures: <strong>{counts["fail"]}</strong>;
known issues found: {counts["known"]}; for a person to review: {counts["review"]}.
Run took {time.monotonic() - audit.started:.0f} seconds.</p>
<h2>Failures not in the accessibility statement</h2>{table(findings["fail"])}
<h2>Known issues (listed in the statement)</h2>{table(findings["known"])}
<h2>Known issues no longer found (remove from the statement)</h2><ul>{fixed_html}</ul>
<h2>For a person to review</h2><p>axe-core's "incomplete" results and other things a tool cannot decide.</p>{table(findings["review"])}
<h2>Every page and check</h2><div class="matrix"><table><thead><tr><th scope="col">Page</th>{"".join(f'<th scope="col">{esc(c)}</th>' for c in checks)}</tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
<h2>What each check covers</h2><ul>{legend}</ul>
<h2>Notes</h2><ul>{notes or "<li>None.</li>"}</ul>
</main></body></html>"""
    path = OUT / "report.html"
    path.write_text(body, encoding="utf-8")
    (OUT / "findings.json").write_text(
        json.dumps([asdict(f) for f in audit.findings], indent=1), encoding="utf-8"
    )
    return path


def summary_lines(audit: Audit) -> list[str]:
    counts = Counter(f.status for f in audit.findings)
    pages = {page for page, _ in audit.results}
    lines = [
        f"{len(pages)} pages/states checked; {counts['fail']} unlisted failure(s), {counts['known']} known issue finding(s), "
        f"{counts['review']} item(s) for review."
    ]
    for f in audit.findings:
        if f.status in ("fail", "known"):
            shot = f"  [{f.screenshot}]" if f.screenshot else ""
            lines.append(
                f"  {f.status.upper():5} {f.page:38} {f.check:18} {f.target[:40]} {f.message[:110]}{shot}"
            )
    for issue in audit.fixed_known_issues():
        lines.append(
            f"  FIXED {issue.id}: no longer found — remove it from accessibility/statement.json"
        )
    return lines
