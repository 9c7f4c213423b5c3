"""``mastery report unanswered``: the questions the FAQ could not answer, or whose answer
someone marked "not helpful" — the content team's to-do list."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import fail, load_settings


@click.group("report")
def report_group() -> None:
    """Reports for content editors."""


@report_group.command("unanswered")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="Only questions from the last N days.")
@click.option("--channel", type=click.Choice(["slack", "web", "cli"]), default=None,
              help="Only questions asked in this channel.")
@click.option("--limit", type=click.IntRange(1, 5000), default=200, show_default=True,
              help="At most this many questions (newest first).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="Output format.")
@click.option("--database-url", default=None,
              help="SQLAlchemy database URL (env: MASTERY_DATABASE_URL; default: SQLite in the "
                   "data folder).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Folder of the SQLite database (env: MASTERY_DATA_DIR).")
def unanswered(days: int | None, channel: str | None, limit: int, fmt: str,
               database_url: str | None, data_dir: Path | None) -> None:
    """List unanswered and not-helpful questions, newest first.

    Each line shows when and where it was asked, the audience, whether it was a question
    without an answer or an answer marked not helpful (with the entry id), and the question.
    """
    import datetime as dt

    from bot.db import DatabaseError
    from bot.store import DraftStore

    settings = load_settings(database_url=database_url, data_dir=data_dir)
    try:
        store = DraftStore.open(settings.resolved_database_url())
    except DatabaseError as exc:
        fail(str(exc))
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days) if days else None
    try:
        rows = store.unanswered(limit=limit, since=since, channel=channel)
    finally:
        store.close()
    records = [{
        "asked_at": r.created_at.isoformat(timespec="seconds"),
        "channel": r.channel,
        "audience": r.audience or "",
        "kind": "not helpful" if r.helpful is False else "no answer",
        "answer_id": r.answer_id or "",
        "question": r.question,
    } for r in rows]
    if fmt == "json":
        import json

        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        import csv
        import sys

        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]) if records else
                                ["asked_at", "channel", "audience", "kind", "answer_id",
                                 "question"])
        writer.writeheader()
        # the questions come from the public and editors open this file in a spreadsheet: a
        # cell starting like a formula ("=HYPERLINK(…)") is written as text (OWASP's advice)
        writer.writerows({k: _as_text_cell(v) for k, v in r.items()} for r in records)
        return
    if not records:
        click.echo("No unanswered questions" + (f" in the last {days} day(s)" if days else "")
                   + ".")
        return
    for r in records:
        what = r["kind"] + (f" ({r['answer_id']})" if r["answer_id"] else "")
        audience = f" for {r['audience']}" if r["audience"] else ""
        question = " ".join(r["question"].split())
        if len(question) > 200:
            question = question[:199] + "…"
        click.echo(f"{r['asked_at'][:16].replace('T', ' ')}  {r['channel']:<5}  "
                   f"{what}{audience}: {question}")
    click.echo(f"{len(records)} question(s). Add an FAQ entry or improve the answer; see "
               "CONTRIBUTING in the README.")


COMMANDS: list[click.Command] = [report_group]


def _as_text_cell(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula: text starting with "=", "+", "-",
    "@", a tab or a carriage return gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
