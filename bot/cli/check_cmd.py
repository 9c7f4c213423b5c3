"""``mastery check``: flag weak wording (with the evidence) and score readability.

Only click is imported at module level; the checker is imported inside the
command so that ``mastery --help`` and other commands stay fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail, state

if TYPE_CHECKING:
    from messaging.checker import CheckConfig, Checker, Flag, Report
    from messaging.docx_reader import DocxReport

#: Larger files are refused: a newsletter is a few kilobytes; 5 MB is a book.
MAX_BYTES = 5_000_000
FAIL_LEVELS = ("error", "warning", "suggestion", "none")
SEVERITY_COLORS = {"error": "red", "warning": "yellow", "suggestion": "cyan", "quoted": "blue"}


class InputProblem(Exception):
    """A file that cannot be checked; the message says why in plain words."""


def read_file(name: str, limit: int) -> bytes:
    """The bytes of file ``name`` (``-``: standard input; at most ``limit``), or InputProblem
    with a clear reason (read by the one bounded reader, :func:`toolkit.fileio.read_bounded`)."""
    from toolkit.fileio import TooLarge, read_bounded

    try:
        return read_bounded(name, limit)
    except TooLarge as exc:
        if exc.size is None:
            raise InputProblem(f"the input is larger than {limit // 1_000_000} MB") from None
        raise InputProblem(
            f"the file is too large ({exc.size / 1_000_000:.1f} MB); "
            f"the checker reads files up to {limit // 1_000_000} MB"
        ) from None
    except IsADirectoryError:
        raise InputProblem("this is a folder; name the files to check (e.g. folder/*.md)") from None
    except FileNotFoundError:
        raise InputProblem("file not found") from None
    except PermissionError:
        raise InputProblem("permission denied: the file cannot be read") from None
    except OSError as exc:
        what = "standard input" if name == "-" else "the file"
        raise InputProblem(f"cannot read {what}: {exc.strerror or exc}") from None


def read_input(name: str) -> str:
    """The text of FILE (``-`` is standard input), or InputProblem with a clear reason."""
    raw = read_file(name, MAX_BYTES)
    if len(raw) > MAX_BYTES:
        raise InputProblem(f"the input is larger than {MAX_BYTES // 1_000_000} MB")
    if name == "-" and raw[:1] in (b"P", b"\xd0"):
        from bot.cli.docx_check import is_word_bytes

        if is_word_bytes(raw):  # a Word file piped in: it can be checked, given by name
            raise InputProblem("this looks like a Word file; give its name instead of "
                               "piping it in: mastery check FILE.docx")
    if b"\x00" in raw[:8192]:
        raise InputProblem("this looks like a binary file, not text; save it as plain UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputProblem(
            f"the file is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise InputProblem("the file is empty: there is nothing to check")
    return text


# ------------------------------------------------------------- presenters
def _citation(source: Any) -> str:
    from toolkit.words import cite

    return cite(source) if source else ""


def _source_line(text: str, flag: Flag) -> tuple[str, str]:
    # look for the line's ends only near the match: a one-line megabyte file with
    # thousands of flags must not be scanned once per flag
    low = max(0, flag.start - 200)
    high = min(len(text), flag.start + 200)
    found = text.rfind("\n", low, flag.start)
    line_start = found + 1 if found != -1 or low == 0 else -1  # -1: further back
    found = text.find("\n", flag.start, high)
    line_end = found if found != -1 else (len(text) if high == len(text) else -1)
    width = max(1, min(flag.end, line_end if line_end != -1 else high) - flag.start)
    if line_start != -1 and line_end != -1 and line_end - line_start <= 160:
        line = text[line_start:line_end].replace("\t", " ")
        return line, " " * (flag.start - line_start) + "^" * width
    # keep very long lines readable: show a window around the match
    left = max(line_start, flag.start - 60)
    right = left + 160
    shown = text[left:right if line_end == -1 else min(right, line_end)].replace("\t", " ")
    prefix = "…" if left != line_start else ""
    suffix = "…" if line_end == -1 or right < line_end else ""
    caret = (" " * (flag.start - left) + "^" * width)[:160]
    return prefix + shown + suffix, " " * len(prefix) + caret


def render_text(file: str, text: str, report: Report, show_readability: bool = True) -> list[str]:
    out: list[str] = []
    for flag in report.flags:
        label = "quoted" if flag.quoted else flag.severity
        head = f"{file}:{flag.line}:{flag.column}"
        kind = click.style(label, fg=SEVERITY_COLORS[label], bold=True)
        note = " (inside a quotation; not counted)" if flag.quoted else ""
        out.append(f"{head} {kind} {flag.rule} {flag.message}{note}")
        if flag.suggestions:
            out.append("    suggestion: " + " | ".join(flag.suggestions))
        if flag.finding:
            evidence = flag.finding["title"]
            if flag.finding.get("location"):
                evidence += f" ({flag.finding['location']})"
            if flag.finding.get("confidence") in ("medium", "low"):
                evidence += f" [{flag.finding['confidence']} confidence: {flag.finding['note']}]"
            cite = _citation(flag.source)
            out.append(f"    evidence: {evidence}" + (f" \u2014 {cite}" if cite else ""))
        line, caret = _source_line(text, flag)
        gutter = f"{flag.line:>5} | "
        out.append(gutter + line)
        out.append(" " * (len(gutter) - 2) + "| " + click.style(caret, fg="green"))
    r = report.readability
    if show_readability and r is not None and not r.english:
        out.append(f"{file}: readability not scored: the text does not look like English; "
                   f"{r.words} word{'' if r.words == 1 else 's'} in {r.sentences} "
                   f"sentence{'' if r.sentences == 1 else 's'}")
        out.extend(f"    {advice}" for advice in r.advice)
    elif show_readability and r is not None:
        who = r.target.audience or "general audience"
        out.append(
            f"{file}: readability for {who}: grade {r.flesch_kincaid_grade:g} "
            f"(target \u2264 {r.target.max_grade:g}), reading ease {r.flesch_reading_ease:g} "
            f"(target \u2265 {r.target.min_reading_ease:g}), "
            f"Coleman-Liau {r.coleman_liau_index:g}; "
            f"{r.words} word{'' if r.words == 1 else 's'} in {r.sentences} "
            f"sentence{'' if r.sentences == 1 else 's'}"
        )
        for advice in r.advice:
            out.append(f"    {advice}")
    return out


def _fails(report: Report | DocxReport, fail_level: str) -> bool:
    if fail_level == "none":
        return False
    from messaging.checker import RANK

    return any(RANK[f.severity] >= RANK[fail_level] for f in report.counted)


# ------------------------------------------------------------------ command
@click.command("check")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: like a compiler's messages; json: one object with findings and readability.",
)
@click.option(
    "--audience",
    "-a",
    default=None,
    help="Who will read it (id, name or alias, e.g. parents); sets severity and targets.",
)
@click.option(
    "--template",
    "template_id",
    default=None,
    help="Take the audience from this template (when --audience is not given).",
)
@click.option(
    "--fail-level",
    type=click.Choice(FAIL_LEVELS),
    default="warning",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity (none: never).",
)
@click.option(
    "--min-severity",
    type=click.Choice(["error", "warning", "suggestion"]),
    default=None,
    help="Hide findings below this severity.",
)
@click.option(
    "--markup",
    type=click.Choice(["auto", "markdown", "html", "text"]),
    default="auto",
    show_default=True,
    help="How to read the files.",
)
@click.option(
    "--quotes",
    type=click.Choice(["report", "skip"]),
    default=None,
    help="Matches inside quotations: report them as quoted (default) or skip them.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="A YAML config: rules, disable, min_severity, quotes, allow, rule_files, "
         "long_sentences.",
)
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A YAML file of your own rules (and findings), added to the shipped ones. Repeatable.",
)
@click.option(
    "--disable",
    "disabled",
    multiple=True,
    metavar="RULE",
    help="Switch a rule off (repeatable; long-sentence switches off sentence length).",
)
@click.option(
    "--only", "only", multiple=True, metavar="RULE", help="Check only this rule (repeatable)."
)
@click.option(
    "--allow",
    "allowed",
    multiple=True,
    metavar="PHRASE",
    help="A phrase you use on purpose: never flagged (repeatable).",
)
@click.option(
    "--annotate",
    "annotate",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="For one Word file: write a copy with a comment on each finding to this .docx.",
)
@click.option(
    "--track-changes",
    is_flag=True,
    help="With --annotate: also write each replacement suggestion as a tracked change.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="For one text file: print it with each replacement suggestion applied "
    "(advice is never applied).",
)
@click.option(
    "--write",
    is_flag=True,
    help="With --fix (or alone): apply the replacements to the file itself, safely.",
)
def check(
    files: tuple[str, ...],
    fmt: str,
    audience: str | None,
    template_id: str | None,
    fail_level: str,
    min_severity: str | None,
    markup: str,
    quotes: str | None,
    config_path: Path | None,
    rule_files: tuple[Path, ...],
    disabled: tuple[str, ...],
    only: tuple[str, ...],
    allowed: tuple[str, ...],
    annotate: Path | None,
    track_changes: bool,
    fix: bool,
    write: bool,
) -> None:
    """Check FILE... (or - for standard input) for wording that message testing found weak.

    Each finding names the rule, the message-testing finding behind it and its
    source, and suggests better wording. A readability summary follows for each
    file. A Word file (.docx) is checked paragraph by paragraph (FILE:PARAGRAPH:CHAR);
    --annotate writes it back with comments. Exit status: 0 nothing at or above
    --fail-level, 1 findings, 2 usage or input error (other files are still checked).
    """
    from collections import Counter
    from dataclasses import replace

    from messaging.checker import MAX_FLAGS_PER_RULE, CheckConfig, RuleFileError

    if files.count("-") > 1:
        fail("standard input ('-') can be read only once")
    from bot.cli import docx_check

    docx_check.check_options(files, annotate, track_changes)
    config = CheckConfig()
    if config_path is not None:
        if config_path.is_dir():
            fail(f"{config_path}: this is a folder; give the config file (YAML)")
        if not config_path.is_file():
            fail(f"{config_path}: config file not found")
        try:
            config = CheckConfig.from_file(config_path)
        except RuleFileError as exc:
            for problem in exc.problems:
                click.echo(problem, err=True)
            fail("the config file has problems (listed above); fix them and try again")
    changes: dict[str, Any] = {}
    if min_severity:
        changes["min_severity"] = min_severity
    if quotes:
        changes["quotes"] = quotes
    if disabled:
        changes["disable"] = config.disable | frozenset(disabled)
    if only:
        changes["rules"] = frozenset(only)
    if allowed:
        changes["allow"] = (*config.allow, *allowed)
    config = replace(config, **changes)

    if fix or write:
        _fix_options(files, annotate, fmt)
    checker, tk_audience = _build_checker(config, rule_files, template_id)
    known = set(checker.rules) | {"long-sentence"}
    unknown = sorted((set(config.disable) | set(config.rules or ())) - known)
    if unknown:
        fail(f"unknown rule(s): {', '.join(unknown)}; known rules: {', '.join(sorted(known))}")
    audience = audience or tk_audience
    try:
        checker.resolve_audience(audience)
    except ValueError as exc:
        fail(str(exc))

    if fix or write:
        _fix(files[0], checker, audience, markup, fail_level, write)
    findings: list[dict[str, Any]] = []
    quoted: list[dict[str, Any]] = []
    readability: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    totals = dict.fromkeys(("error", "warning", "suggestion", "quoted"), 0)
    #: rules that reached the per-text limit of findings in some file (the count is short)
    capped: set[str] = set()
    failed = False
    checked = 0
    for name in files:
        display = "<stdin>" if name == "-" else name
        word = docx_check.is_word(name)
        text = ""
        document: DocxReport | None = None
        plain: Report | None = None
        try:
            if word:
                document = docx_check.check_word(name, checker, audience, annotate, track_changes)
            else:
                text = read_input(name)
                plain = checker.check(text, audience=audience, markup=markup)
        except InputProblem as exc:
            errors.append({"file": display, "message": str(exc)})
            click.echo(f"mastery: {display}: {exc}", err=True)
            continue
        checked += 1
        report: Report | DocxReport
        if document is not None:
            report = document
        elif plain is not None:
            report = plain
        else:  # pragma: no cover - one of the two is always set when nothing was raised
            continue
        for key, value in report.counts().items():
            totals[key] += value
        # a Word file's findings are its joined text's: the same per-rule limit applies
        whole = plain if plain is not None else document.report if document else None
        if whole is not None:
            per_rule = Counter(flag.rule for flag in whole.flags)
            capped.update(rule for rule, n in per_rule.items() if n >= MAX_FLAGS_PER_RULE)
        failed = failed or _fails(report, fail_level)
        if fmt == "json":
            # quoted matches are someone else's words: listed apart, never findings
            findings.extend({"file": display, **flag.to_dict()} for flag in report.flags
                            if not flag.quoted)
            quoted.extend({"file": display, **flag.to_dict()} for flag in report.flags
                          if flag.quoted)
            readability[display] = report.readability.to_dict() if report.readability else None
        else:
            lines = (docx_check.render(display, document) if document is not None
                     else render_text(display, text, plain) if plain is not None else [])
            for line in lines:
                click.echo(line)
    if fmt == "json":
        summary = {
            "files": checked,
            "audience": info.id if (info := checker.resolve_audience(audience)) else None,
            "fail_level": fail_level,
            **totals,
            # rules whose findings stopped at the per-text limit: their counts are short
            "capped": sorted(capped),
        }
        click.echo(
            json.dumps(
                {
                    "findings": findings,
                    "quoted": quoted,
                    "readability": readability,
                    "errors": errors,
                    "summary": summary,
                },
                ensure_ascii=False,
                # indented for people; compact (and several times faster) when piped
                indent=2 if sys.stdout.isatty() else None,
            )
        )
    elif checked:
        parts = [
            f"{totals[k]} {k}{'' if totals[k] == 1 else 's'}"
            for k in ("error", "warning", "suggestion")
        ]
        aside = f", {totals['quoted']} quoted (not counted)" if totals["quoted"] else ""
        click.echo(f"{', '.join(parts)}{aside} in {checked} file{'' if checked == 1 else 's'}.")
        if capped:
            click.echo(f"These counts are short: {', '.join(sorted(capped))} stopped at "
                       f"{MAX_FLAGS_PER_RULE} findings in one text, and there are more.")
    if errors:
        raise SystemExit(EXIT_USAGE)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


# ------------------------------------------------------------ --fix / --write
def _fix_options(files: tuple[str, ...], annotate: Path | None, fmt: str) -> None:
    """Refuse what --fix/--write cannot do, before anything is read or written."""
    if len(files) != 1:
        fail("--fix and --write work on one file at a time; run the command once per file")
    if annotate is not None or files[0].lower().endswith(".docx"):
        fail("--fix and --write work on text files; for a Word file use "
             "--annotate OUT.docx --track-changes")
    if fmt != "text":
        fail("--fix prints the corrected text; it cannot be combined with --format json")


def _fix(name: str, checker: Checker, audience: str | None, markup: str, fail_level: str,
         write: bool) -> None:
    """Apply the replacements to one file: to standard output, or in place with --write.

    In place, the new text goes to a temporary file beside the original, which then
    replaces it in one step (:func:`toolkit.fileio.write_atomic`): the file is either the
    old text or the new, never half-written. The report of what was applied goes to
    standard error.
    """
    import os

    from messaging.checker import apply_replacements
    from toolkit.fileio import write_atomic

    if write and name == "-":
        fail("--write changes a file in place; standard input has no file to write. "
             "Use --fix to print the corrected text instead")
    path = Path(name)
    if write and path.is_file() and (
        not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222
    ):
        fail(f"{name}: the file is read-only; nothing was changed")
    try:
        text = read_input(name)
    except InputProblem as exc:
        fail(f"{'<stdin>' if name == '-' else name}: {exc}")
    report = checker.check(text, audience=audience, markup=markup)
    fixed, applied = apply_replacements(text, report.flags)
    left = [f for f in report.flags if f not in applied and not f.quoted]
    if write:
        if applied:
            with path.open("rb") as head:
                bom = "\ufeff" if head.read(3) == b"\xef\xbb\xbf" else ""
            try:
                write_atomic(path, bom + fixed)
            except OSError as exc:
                fail(f"{name}: cannot write the file ({exc.strerror or exc}); "
                     "nothing was changed")
    else:
        click.echo(fixed, nl=False)
    where = "in place" if write else "to the text above"
    click.echo(f"mastery: {len(applied)} replacement{'' if len(applied) == 1 else 's'} "
               f"applied {where}; {len(left)} finding{'' if len(left) == 1 else 's'} "
               f"need{'s' if len(left) == 1 else ''} your own wording (see `mastery check`).",
               err=True)
    after = checker.check(fixed, audience=audience, markup=markup)
    raise SystemExit(EXIT_FINDINGS if _fails(after, fail_level) else EXIT_OK)


def _build_checker(
    config: CheckConfig, rule_files: tuple[Path, ...], template_id: str | None
) -> tuple[Checker, str | None]:
    """The compiled checker (cached when nothing changed) and the template's audience."""
    from messaging.cache import load_checker, packaged_toolkit_path, prime_hyphenation
    from messaging.checker import CheckConfig, Checker, RuleFileError

    prime_hyphenation()

    files = [Path(p) for p in (*config.rule_files, *rule_files)]
    for path in files:
        if not path.exists():
            fail(f"{path}: rule file not found")
    st = state()
    root = st.resolved_toolkit_path() or packaged_toolkit_path()

    def build() -> tuple[Checker, dict[str, str | None]]:
        tk = st.toolkit
        checker = Checker.from_toolkit(tk, files, CheckConfig())
        return checker, {t.id: t.audience for t in tk.templates.values()}

    try:
        checker, templates = load_checker(Path(root), files, build)
    except RuleFileError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        fail("a rule file has problems (listed above); fix them and try again")
    audience = None
    if template_id:
        if template_id not in templates:
            fail(f"unknown template '{template_id}'; use one of: {', '.join(sorted(templates))}")
        audience = templates[template_id]
    try:
        configured = checker.with_config(config)
    except RuleFileError as exc:  # e.g. an empty --allow phrase
        for problem in exc.problems:
            click.echo(problem, err=True)
        fail("an --allow phrase or the config file has problems (listed above); fix them "
             "and try again")
    return configured, audience


COMMANDS: list[click.Command] = [check]
