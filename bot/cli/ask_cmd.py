"""``mastery ask``, ``mastery myths``, ``mastery faq``: answer questions from the toolkit."""

from __future__ import annotations

import difflib
import json
import textwrap
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import EXIT_FINDINGS, EXIT_USAGE, fail, state

if TYPE_CHECKING:
    from faq.engine import Answer, Engine

#: A longer question is refused, as by POST /api/ask (bot/api/schemas.py MAX_QUESTION): a
#: parent's long message fits, and the engine reads its question (faq.engine._focus)
MAX_QUESTION_CHARS = 10_000
#: A bigger --file is refused (it is meant for review lists, not books).
MAX_FILE_BYTES = 5_000_000

EPILOG = """\b
Exit codes:
  0  answered, or honestly said it does not know (the fallback, with "did you mean" topics)
  1  --file: some lines could not be read (each is reported as a JSON line with "error")
  2  usage or input error: no question, an empty or too long question, an unknown audience,
     a --file that is missing, unreadable or binary
\b
With --file, blank lines are skipped; every JSON line carries "line", the line number in the
file, so answers can be matched back to questions.
"""


def _engine() -> Engine:
    return state().core.faq


def _check_audience(audience: str | None) -> str | None:
    from toolkit.names import audience_id

    return audience_id(state().toolkit, audience)  # unknown: UnknownName, exit 2 (bot/cli)


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), width=88, initial_indent=indent,
                      subsequent_indent=indent)
        for p in paragraphs
    )


def _cite(source: dict[str, Any]) -> str:
    from toolkit.words import cite

    return cite(source)


def render_text(answer: Answer, threshold: float) -> str:
    """The terminal presentation of one answer."""
    from toolkit import words

    lines: list[str] = []
    if answer.id is None:
        if answer.reason == "empty":
            lines.append("I couldn't find any words to go on in that question. Try asking it in a "
                         "sentence, e.g. \"How are students graded?\"")
        elif answer.reason == "choices":
            one = len(answer.choices) == 1
            lines.append("One topic is close to your question. Is it what you meant?" if one
                         else "A few topics are close to your question. Which one did you mean?")
            for s in answer.choices:
                lines.append(f"  - {s.title}  [{s.id}, {s.score:.2f}]")
            lines.append("")
            lines.append("Show it: mastery ask --id ID, or ask again in other words." if one
                         else "Show one: mastery ask --id ID, or ask again in other words.")
            return "\n".join(lines)
        elif answer.reason == "other-language":
            lines.append(words.english_only(answer.question))
        elif answer.reason == "out-of-scope":
            lines.append(words.OUT_OF_SCOPE)
            if answer.redirect:
                lines.append(_wrap(answer.redirect))
        elif answer.reason == "no-list":
            lines.append(f"{words.NO_ANSWER} {words.NO_LIST}")
        else:
            lines.append(f"{words.NO_ANSWER} Nothing in it matches that question closely "
                         f"enough (best match {answer.score:.2f}; answers need {threshold:.2f}).")
            lines.append("If it should be answered, an editor can add it to the toolkit's FAQ.")
        if answer.suggestions:
            lines.append("")
            english = answer.reason == "other-language"
            lines.append(words.closest_in_english(answer.question) if english
                         else "Did you mean:")
            for s in answer.suggestions:
                lines.append(f"  - {s.title}  [{s.id}, {s.score:.2f}]")
        return "\n".join(lines)
    kind = {"myth": "Myth", "term": "Term"}.get(answer.kind or "", "FAQ")
    lines.append(f"{kind}: {answer.title}  [{answer.id}, score {answer.score:.2f}]")
    if answer.audience:
        lines.append(f"(the answer written for {answer.audience})")
    if answer.local:
        lines.append("(your district's own answer, from its toolkit copy"
                     + ("; the toolkit's general answer follows)" if answer.full else ")"))
    lines.append("")
    if answer.kind == "myth":
        lines.append("Fact:")
    lines.append(_wrap(answer.answer or "", "  " if answer.kind == "myth" else ""))
    if answer.sources:
        lines.append("")
        lines.append("Sources of the general answer:" if answer.local else "Sources:")
        lines.extend(f"  - {_cite(s)}" for s in answer.sources)
    if answer.suggestions:
        lines.append("")
        lines.append("Also close: " + "; ".join(f"{s.title} [{s.id}]" for s in answer.suggestions))
    if not answer.full:
        lines.append("")
        lines.append("(--full for the full answer)")
    return "\n".join(lines)


def _explanation(engine: Engine, question: str) -> dict[str, Any]:
    terms, repaired = engine.analyze(question)
    return {
        "terms": {t: round(w, 2) for t, w in terms.items()},
        "repaired": repaired,
        "ranked": engine.rank(question, k=5),
        "threshold": engine.threshold,
        "model": [{"id": i, "probability": p} for i, p in engine.model_rank(question, k=3)],
        "models_agree": engine.models_agree(question),
    }


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _line_error(number: int, message: str, keys: dict[str, Any],
                question: str | None = None) -> dict[str, Any]:
    """A JSON line for a line that was not answered: every key an answer's line has
    (``keys``, an answer's dict), empty, with ``error``."""
    out: dict[str, Any] = {"line": number}
    out.update({k: [] if isinstance(v, list) else False if isinstance(v, bool) else None
                for k, v in keys.items()})
    out.update(question=question, score=0.0, error=message)
    return out


def _read_file(path: str) -> bytes:
    from toolkit.fileio import TooLarge, read_bounded

    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except TooLarge:
        fail(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB; "
             "split it into smaller lists.")
    except IsADirectoryError:
        fail(f"{path} is a folder; give a text file with one question per line.")
    except FileNotFoundError:
        fail(f"{path}: no such file.")
    except OSError as exc:
        fail(f"{path}: cannot read it ({exc.strerror or exc}).")
    if b"\x00" in data:
        fail(f"{path} looks like a binary file, not a text file with one question per line.")
    return data


def _ask_file(path: str, audience: str | None, full: bool, as_json: bool) -> None:
    data = _read_file(path)
    engine = _engine()
    keys = engine.lookup("").to_dict()
    errors = asked = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark
        try:
            question = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            errors += 1
            message = f"line {number} is not valid UTF-8 text (byte {exc.start + 1}); skipped"
            if as_json:
                click.echo(_dump(_line_error(number, message, keys)))
            else:
                click.echo(message, err=True)
            continue
        if not question:
            continue
        if len(question) > MAX_QUESTION_CHARS:
            errors += 1
            message = (f"line {number} is {len(question)} characters long; a question may have "
                       f"at most {MAX_QUESTION_CHARS}")
            if as_json:
                click.echo(_dump(_line_error(number, message, keys, question)))
            else:
                click.echo(message, err=True)
            continue
        asked += 1
        answer = engine.answer(question, audience=audience, full=full)
        if as_json:
            click.echo(_dump({"line": number, **answer.to_dict()}))
        else:
            click.echo(f"[line {number}] {question}")
            click.echo(render_text(answer, engine.threshold))
            click.echo("")
    if errors:
        raise SystemExit(EXIT_FINDINGS)
    if not asked:
        fail(f"{path} has no questions: every line is blank.")


def _show_entry(entry_id: str, audience: str | None, full: bool, as_json: bool) -> None:
    engine = _engine()
    answer = engine.lookup(engine.canonical_id(entry_id), audience=audience, full=full)
    if answer.id is None:
        known = engine.entry_ids
        close = difflib.get_close_matches(entry_id, known, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        fail(f"there is no FAQ entry or myth with id '{entry_id}'.{hint} "
             "`mastery faq` and `mastery myths` list the ids.")
    click.echo(_dump(answer.to_dict()) if as_json else render_text(answer, engine.threshold))


@click.command("ask", epilog=EPILOG)
@click.argument("question", required=False)
@click.option("--audience", "-a", metavar="AUDIENCE",
              help="Answer for this audience (id, name or alias, e.g. parents, legislators).")
@click.option("--full", is_flag=True, help="Give the full answer instead of the short one.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (with --file: one JSON object per line, JSON Lines).")
@click.option("--file", "file_path", metavar="PATH",
              help="Answer every line of this UTF-8 text file ('-' reads standard input).")
@click.option("--explain", is_flag=True,
              help="Also show how the question was read (words, synonym groups, typo fixes), "
                   "the five closest entries and the question model's three likeliest: useful "
                   "when editing synonyms or alternatives.")
@click.option("--id", "entry_id", metavar="ID",
              help="Show the entry with this id (as `mastery faq` and `mastery myths` list "
                   "them) instead of answering a question.")
def ask(question: str | None, audience: str | None, full: bool, as_json: bool,
        file_path: str | None, explain: bool, entry_id: str | None) -> None:
    """Answer QUESTION from the toolkit's FAQ and myths vs facts.

    When no entry is clearly the most likely, the answer is "I don't know" or "which one
    did you mean?", with up to three close topics, rather than a guess.
    """
    if sum(x is not None for x in (question, file_path, entry_id)) > 1:
        fail("give only one of a QUESTION, --file or --id.")
    audience_id = _check_audience(audience)
    if entry_id is not None:
        _show_entry(entry_id.strip(), audience_id, full, as_json)
        return
    if file_path is not None:
        _ask_file(file_path, audience_id, full, as_json)
        return
    if question is None:
        fail('give a question, e.g. mastery ask "How are students graded?" (or --file PATH).')
    text = question.strip()
    if not text:
        fail('the question is empty; e.g. mastery ask "How are students graded?"')
    if len(text) > MAX_QUESTION_CHARS:
        fail(f"the question is {len(text)} characters long; ask one question of at most "
             f"{MAX_QUESTION_CHARS} characters.")
    engine = _engine()
    answer = engine.answer(text, audience=audience_id, full=full)
    if as_json:
        data = answer.to_dict()
        if explain:
            data["explain"] = _explanation(engine, text)
        click.echo(_dump(data))
    else:
        click.echo(render_text(answer, engine.threshold))
        if explain:
            info = _explanation(engine, text)
            click.echo("")
            click.echo("How the question was read:")
            click.echo("  terms: " + (", ".join(f"{t} ({w:g})" for t, w in info["terms"].items())
                                       or "(none)"))
            if info["repaired"]:
                click.echo("  typos repaired: " + ", ".join(f"{a} -> {b}"
                                                          for a, b in info["repaired"].items()))
            click.echo("  closest entries: " + ", ".join(f"{i} {s:.2f}" for i, s in info["ranked"]))
            if info["model"]:
                click.echo("  question model: " + ", ".join(
                    f"{m['id'] or '(no entry)'} {m['probability']:.2f}" for m in info["model"]))
            if info["models_agree"]:
                click.echo("  word model and sentence classifier both pick: "
                           + info["models_agree"])
            click.echo("  (~name = a synonym group in synonyms.yaml or the glossary; the number "
                       "after a term is its weight in the question)")


@click.command("myths")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def myths(as_json: bool) -> None:
    """List the myths with their facts."""
    tk = state().toolkit
    if as_json:
        click.echo(_dump({"myths": [
            {"id": m.id, "myth": m.myth, "fact": m.fact, "sources": list(m.sources)}
            for m in tk.myths.values()
        ]}))
        return
    for m in tk.myths.values():
        click.echo(f"{m.id}")
        click.echo(_wrap(f"Myth: {m.myth}", "  "))
        click.echo(_wrap(f"Fact: {m.fact}", "  "))
        click.echo("")
    click.echo(f"{len(tk.myths)} myths. Show one: mastery ask --id ID --full", err=True)


@click.command("faq")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def faq(as_json: bool) -> None:
    """List the FAQ topics (ids and questions)."""
    tk = state().toolkit
    if as_json:
        click.echo(_dump({"faq": [
            {"id": e.id, "question": e.question, "audiences": list(e.audiences)}
            for e in tk.faq.values()
        ]}))
        return
    width = max((len(e.id) for e in tk.faq.values()), default=10)
    for e in tk.faq.values():
        click.echo(f"{e.id:<{width}}  {e.question}")
    click.echo(f"{len(tk.faq)} FAQ topics. Show one: mastery ask --id ID --full", err=True)


COMMANDS: list[click.Command] = [ask, myths, faq]

__all__ = ["COMMANDS", "EXIT_USAGE", "render_text"]
