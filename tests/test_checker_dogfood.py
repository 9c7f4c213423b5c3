"""Dog-fooding: the toolkit's own words pass the phrase checker.

Every piece of content a communicator may copy — FAQ answers, myth facts, key
messages and talking points, proof points, plain-language glossary entries,
profile guidance, rule suggestions and every shipped template — is checked for
the audience it is written for, and must have no finding of severity warning
or above.

Exempt, because they deliberately quote or define tested wording:
  * findings.yaml (title, summary, tested_wording) — the evidence itself;
  * myths' `myth` and `alternatives` — what people say, quoted to be answered;
  * glossary `term`, `aliases`, `definition` — the jargon being defined
    (the family-friendly `plain` explanation IS checked, for parents);
  * rule messages and examples in rules.yaml (the suggestions ARE checked);
  * source titles.
Anything in quotation marks is reported as quoted and never counts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from messaging.checker import RANK, Checker
from toolkit import Toolkit, load_toolkit

Item = tuple[str, str, str | None]  # (where, text, audience)


def content_texts(tk: Toolkit) -> Iterator[Item]:
    for fid, entry in tk.faq.items():
        yield f"faq.yaml {fid} short", entry.short, None
        yield f"faq.yaml {fid} full", entry.full, None
        for audience, answer in entry.audience_answers.items():
            yield f"faq.yaml {fid} audience_answers.{audience}", answer, audience
    for mid, myth in tk.myths.items():
        yield f"myths.yaml {mid} fact", myth.fact, None
        yield f"myths.yaml {mid} evidence", myth.evidence, None
        for audience, answer in myth.audience_answers.items():
            yield f"myths.yaml {mid} audience_answers.{audience}", answer, audience
    for aid, group in tk.audiences.items():
        for i, message in enumerate(group.key_messages):
            yield f"audiences.yaml {aid} key_messages[{i}]", message.text, aid
        for i, point in enumerate(group.talking_points):
            yield f"audiences.yaml {aid} talking_points[{i}]", point.text, aid
    for pid, proof in tk.proof_points.items():
        yield f"proof_points.yaml {pid}", f"{proof.title}. {proof.statement}", None
    for gid, term in tk.glossary.items():
        yield f"glossary.yaml {gid} plain", term.plain, "parents"
    for pid, profile in tk.profiles.items():
        for section in profile.sections:
            if section.guidance:
                yield f"profiles/{pid}.yaml {section.id} guidance", section.guidance, None
    for oid, topic in tk.out_of_scope.items():
        yield f"out_of_scope.yaml {oid} redirect", topic.redirect, "parents"
    for rid, rule in tk.rules.items():
        for suggestion in rule.suggestions:
            text = suggestion if isinstance(suggestion, str) else (
                suggestion.replacement or suggestion.advice or "")
            yield f"rules.yaml {rid} suggestion", text, None
    for tid, template in tk.templates.items():
        path = tk.templates_dir / template.file
        if path.is_file():
            yield f"templates/{template.file}", path.read_text(encoding="utf-8"), template.audience
        for field in template.fields:
            if field.help:
                yield f"templates/{tid}.yaml {field.name} help", field.help, template.audience
    for path in sorted(tk.templates_dir.rglob("*.j2")):
        if path.parent != tk.templates_dir:  # partials and layouts
            yield f"templates/{path.relative_to(tk.templates_dir)}", path.read_text("utf-8"), None


_tk = load_toolkit()
ITEMS = list(content_texts(_tk))


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


def test_there_is_content_to_check() -> None:
    kinds = {where.split()[0].split("/")[0] for where, _, _ in ITEMS}
    assert {"faq.yaml", "audiences.yaml", "rules.yaml"} <= kinds


@pytest.mark.parametrize(("where", "text", "audience"), ITEMS, ids=[i[0] for i in ITEMS])
def test_content_has_no_weak_wording(
    checker: Checker, where: str, text: str, audience: str | None
) -> None:
    report = checker.check(text, audience=audience)
    bad = [
        f"{f.line}:{f.column} {f.severity} {f.rule}: {f.text!r}"
        for f in report.counted
        if RANK[f.severity] >= RANK["warning"]
    ]
    assert not bad, f"{where} (audience {audience}): " + "; ".join(bad)


def test_the_exempt_tested_wording_would_be_flagged(checker: Checker, toolkit: Toolkit) -> None:
    """The check has teeth: the less-successful wording quoted in findings.yaml is flagged."""
    tested = [
        f.tested_wording
        for f in toolkit.findings.values()
        if f.category == "less-successful-language" and f.tested_wording
    ]
    assert len(tested) == 6
    for wording in tested:
        report = checker.check(wording, audience="parents")
        assert any(f.severity == "error" for f in report.flags), wording
