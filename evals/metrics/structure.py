"""structure: the report a reader gets has every section of DESIGN.md, in order, each with content,
a real bottom line, attributed quotations, resolvable citations and a signature."""

from __future__ import annotations

import re

from pydantic import BaseModel
from vantage.graph.report import Report, render_markdown

from .base import MetricResult, share

# graph/assemble.py writes this placeholder when the model's bottom line was unusable.
NOT_ASSESSED_PREFIX = "Not assessed:"
_CITATION = re.compile(r"\[(\d+)\]")


class Check(BaseModel):
    check: str
    passed: bool
    note: str = ""


def _sections(markdown: str, titles: list[str]) -> dict[str, tuple[int, list[str]]]:
    """Each expected heading found -> (line number, body lines up to the next heading)."""
    lines = markdown.splitlines()
    heads = [(i, line[3:].strip()) for i, line in enumerate(lines) if line.startswith("## ")]
    found: dict[str, tuple[int, list[str]]] = {}
    for k, (i, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        if title in titles and title not in found:
            found[title] = (i, [ln.strip() for ln in lines[i + 1 : end] if ln.strip()])
    return found


# Positions in graph/report.SECTION_TITLES of the sections that are not plain bullet lists.
_CONTEXT, _QUOTATIONS, _SOURCES = 1, 5, 6


def _has_content(index: int, body: list[str]) -> bool:
    if index == _CONTEXT:  # bullets, or stakeholder blocks headed **Actor**
        return any(ln.startswith(("- ", "**")) for ln in body)
    if index == _QUOTATIONS:
        return any(ln.startswith(("> “", '> "')) for ln in body)
    if index == _SOURCES:
        return any(re.match(r"\d+\. \S", ln) for ln in body)
    return any(ln.startswith("- ") and len(ln) > 2 for ln in body)


def structure(report: Report, markdown: str | None = None) -> MetricResult:
    """Share of structural checks passed. `markdown` is the rendered report (rendered here when not
    given); headings, order and section content are read from it, attribution from the Report."""
    markdown = render_markdown(report) if markdown is None else markdown
    titles = report.section_titles()
    found = _sections(markdown, titles)
    checks = [Check(check=f"heading: {t}", passed=t in found) for t in titles]
    positions = [found[t][0] for t in titles if t in found]
    checks.append(Check(check="sections in order", passed=positions == sorted(positions)))
    checks += [
        Check(check=f"content: {t}", passed=t in found and _has_content(i, found[t][1]))
        for i, t in enumerate(titles)
    ]
    checks.append(Check(check="stakeholder calculus", passed=any(s.points for s in report.stakeholders)))
    checks.append(Check(check="bottom line assessed", passed=any(_assessed(p.text) for p in report.bottom_line)))
    checks.append(Check(check="in short", passed=bool(report.in_short.strip()) and "In short: " in markdown))

    numbers = {s.n for s in report.sources}
    for i, q in enumerate(report.quotations, 1):
        ok = bool(q.attribution.strip()) and q.citation in numbers
        checks.append(Check(check=f"quotation {i} attributed", passed=ok, note=q.attribution or "no attribution"))
    body = markdown.split(f"## {titles[-1]}", 1)[0]
    dangling = sorted({int(n) for n in _CITATION.findall(body)} - numbers)
    checks.append(
        Check(
            check="citations resolve to Sources",
            passed=not dangling,
            note=", ".join(f"[{n}]" for n in dangling),
        )
    )
    tail = [ln.strip() for ln in markdown.strip().splitlines()[-2:]]
    checks.append(Check(check="signed", passed=tail == [report.agent, report.organisation]))

    passed = sum(c.passed for c in checks)
    failed = [c.check for c in checks if not c.passed]
    reason = f"{passed}/{len(checks)} checks passed" + (f"; failed: {', '.join(failed)}" if failed else "")
    return MetricResult(name="structure", score=share(passed, len(checks)), reason=reason, details=checks)


class JudgementCheck(BaseModel):
    where: str
    text: str
    assessed: bool


def analysis_coverage(report: Report) -> MetricResult:
    """Share of the analysis the model was asked for that it delivered: each stakeholder's interests,
    leverage and likely next move, and the bottom line. Code replaces analysis it cannot use (about
    the wrong actor, a copy of another field, an echo of the prompt) with a "Not assessed" line, so
    the report stays honest whatever a prompt does; this counts how often that happened."""
    rows = [
        JudgementCheck(where=f"{s.actor}: {sp.label}", text=sp.point.text, assessed=_assessed(sp.point.text))
        for s in report.stakeholders
        for sp in s.points
        if sp.label != "Stated position"
    ]
    rows += [
        JudgementCheck(where="Bottom line", text=p.text, assessed=_assessed(p.text)) for p in report.bottom_line
    ]
    hits = sum(r.assessed for r in rows)
    reason = f"{hits}/{len(rows)} analysis points assessed" if rows else "no analysis asked for"
    return MetricResult(name="analysis_coverage", score=share(hits, len(rows)), reason=reason, details=rows)


def _assessed(text: str) -> bool:
    return bool(text.strip()) and not text.startswith(NOT_ASSESSED_PREFIX)
