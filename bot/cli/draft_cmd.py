"""``mastery templates`` and ``mastery draft``: fill toolkit templates from a data file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from bot.cli.common import EXIT_FINDINGS, fail, state

if TYPE_CHECKING:
    from messaging.checker import Report
    from messaging.drafting import Completeness, DraftingError, FieldDescription, FieldProblem
    from toolkit import Toolkit

FORMAT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                   ".docx": "docx"}
#: documents mastery cannot write: refused rather than silently filled with Markdown
FOREIGN_SUFFIXES = {".pdf": "PDF", ".doc": "old Word (.doc)", ".odt": "OpenDocument",
                    ".rtf": "RTF", ".pages": "Pages"}


# ------------------------------------------------------------------ templates
@click.command("templates")
@click.argument("template_id", required=False, metavar="[TEMPLATE]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: every field's name, type, "
              "required flag, help and, for lists, the sub-fields.")
def templates(template_id: str | None, as_json: bool) -> None:
    """List the templates and their fields (or one TEMPLATE in detail), and the state profiles.

    A '*' marks a required field.
    """
    import json

    from messaging.drafting import DraftingError, describe_profile, describe_template

    tk = state().toolkit
    try:
        ids = [template_id] if template_id else sorted(tk.templates)
        described = [describe_template(tk, t) for t in ids]
    except DraftingError as exc:
        _fail_drafting(exc)
    if as_json:
        payload: Any
        if template_id:
            payload = described[0]
        else:
            payload = {"templates": described,
                       "profiles": [describe_profile(tk, p) for p in sorted(tk.profiles)]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for info in described:
        audience = f"  (audience: {info['audience']})" if info["audience"] else ""
        click.echo(f"{info['id']}{audience}")
        click.echo(f"  {info['title']}: {info['description']}")
        if info["profiles"]:
            click.echo(f"  profiles: {', '.join(info['profiles'])}")
        if template_id:
            for f in info["fields"]:
                _echo_field(f, "  ")
        else:
            names = ", ".join(f["name"] + ("*" if f["required"] else "") for f in info["fields"])
            click.echo(click.wrap_text(f"fields: {names}", initial_indent="  ",
                                       subsequent_indent="    ", width=100))
        click.echo("")
    if not template_id:
        click.echo("Profiles (required sections of a pilot application):")
        for pid in sorted(tk.profiles):
            p = tk.profiles[pid]
            required = sum(1 for s in p.sections if s.required)
            click.echo(f"  {pid}: {p.name} ({required} required sections, "
                       f"template {p.template})")
        click.echo("\nDetails: mastery templates TEMPLATE; a filled example: "
                   "mastery draft TEMPLATE --example")


def _echo_field(f: FieldDescription, indent: str) -> None:
    star = "*" if f["required"] else ""
    kind = f["type"]
    titles = f.get("choice_titles") or {}
    if f.get("choices") and not titles:
        kind += ": " + ", ".join(f["choices"])
    if f.get("max_length"):
        kind += f", max {f['max_length']} characters"
    click.echo(f"{indent}- {f['name']}{star} ({kind}) {f['label']}")
    if f.get("help"):
        click.echo(f"{indent}    {f['help']}")
    if titles:
        click.echo(f"{indent}    choices:")
        for choice in f["choices"]:
            click.echo(f"{indent}      {choice}: {titles.get(choice, '')}")
    for sub in f.get("fields") or []:
        _echo_field(sub, indent + "    ")


# ---------------------------------------------------------------------- draft
@click.command("draft")
@click.argument("template_id", metavar="TEMPLATE")
@click.option("--data", "data_path", type=click.Path(path_type=Path),
              help="The YAML file with your values (start from --example).")
@click.option("--profile", help="State profile for a pilot application (default: generic).")
@click.option("--audience", help="Audience for key messages and the phrase check "
              "(default: the template's).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx"]),
              help="Output format (default: from the -o file name, else md).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write. Default: TEMPLATE.FORMAT in the current folder "
              "(never overwritten without --force). '-' prints md or html.")
@click.option("--draft", "draft_mode", is_flag=True,
              help="Draft mode: render even with required fields missing (shown as "
              "[to be completed: …]).")
@click.option("--example", is_flag=True,
              help="Write a filled example data file to start from (to -o, or print it).")
@click.option("--check", is_flag=True,
              help="Print the completeness report (sections done, thin or missing); "
              "exit 1 if a required section is not done.")
@click.option("--json", "as_json", is_flag=True, help="With --check: print JSON.")
@click.option("--force", is_flag=True,
              help="Replace an existing default output file, or an existing file with --example.")
def draft(template_id: str, data_path: Path | None, profile: str | None, audience: str | None,
          fmt: str | None, output: Path | None, draft_mode: bool, example: bool, check: bool,
          as_json: bool, force: bool) -> None:
    """Fill TEMPLATE from a data file and write Markdown, HTML or Word.

    \b
    mastery draft press-release --example -o release.yaml
    mastery draft press-release --data release.yaml --format docx -o release.docx
    mastery draft pilot-application --data app.yaml --check

    Every problem in the data is listed at once (exit 2) and nothing is written.
    The phrase check of the finished text goes to stderr.
    """
    from messaging import drafting

    if as_json and not check:
        fail("--json goes with --check (it prints the completeness report as JSON).")
    tk = state().toolkit
    try:
        template = drafting.get_template(tk, template_id)
        if example:
            text = drafting.example_yaml(tk, template.id)
            if output is None or str(output) == "-":
                click.echo(text, nl=False)
            else:
                if output.exists() and not force:
                    fail(f"{output} already exists (your data?); choose another name, or add "
                         "--force to replace it with the example.")
                _write_atomic(output, text.encode("utf-8"), overwrite=True)
                click.echo(f"Wrote {output}. Edit it, then: mastery draft {template.id} "
                           f"--data {output} --format docx", err=True)
            return
        if data_path is None:
            fail(f"Give the data file with --data FILE (start from: mastery draft "
                 f"{template.id} --example -o {template.id}.yaml).")
        if str(data_path) == "-":
            fail("--data needs a file name (standard input is not read); save the values to "
                 "a .yaml file first.")
        data = drafting.read_data(data_path)
        if check:
            _print_completeness(drafting.completeness(tk, template.id, data, profile), as_json)
            problems = drafting.validate(tk, template.id, data, "draft", profile)
            _print_problems(problems, data_path, only_fields=True)
            result = drafting.completeness(tk, template.id, data, profile)
            if not result.complete:
                raise SystemExit(EXIT_FINDINGS)
            return
        if fmt is None and output is not None and output.suffix.lower() in FOREIGN_SUFFIXES:
            fail(f"cannot write {FOREIGN_SUFFIXES[output.suffix.lower()]} files; "
                 f"name the output .docx (Word), .html or .md, e.g. -o "
                 f"{output.with_suffix('.docx')}.")
        named = FORMAT_SUFFIXES.get(output.suffix.lower()) if output else None
        if fmt is not None and named is not None and named != fmt:
            # Markdown in a file named .docx would not open in Word
            fail(f"--format {fmt} does not match the file name {output}: drop --format, or "
                 f"name the file {output.with_suffix('.' + fmt).name if output else ''}.")
        fmt = fmt or named or "md"
        if output is not None and str(output) == "-" and fmt == "docx":
            fail("A Word file cannot be printed; give -o FILE.docx.")
        target = output or Path(f"{template.id}.{fmt}")
        if output is None and target.exists() and not force:
            fail(f"{target} already exists; choose a name with -o, or add --force to replace it.")
        doc = drafting.render(tk, template.id, data, fmt, profile=profile,
                              mode="draft" if draft_mode else "final", audience=audience,
                              mark_draft=draft_mode)
    except drafting.DraftingError as exc:
        _fail_drafting(exc, data_path)
    if str(target) == "-":
        click.echo(doc.content.decode("utf-8"), nl=False)
    else:
        _write_atomic(target, doc.content, overwrite=True)
        click.echo(f"Wrote {target} ({_size(len(doc.content))}).", err=True)
    _print_problems(doc.problems, data_path)
    _print_report(doc.report, tk, data)


# ------------------------------------------------------------------ helpers
def _write_atomic(target: Path, content: bytes, *, overwrite: bool) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file
    (:func:`toolkit.fileio.write_atomic`)."""
    from toolkit.fileio import write_atomic

    if target.is_dir():
        fail(f"{target} is a folder; give a file name.")
    if target.is_symlink():
        target = target.resolve()  # replace the file the link points to, not the link
    if target.exists() and not overwrite:
        fail(f"{target} already exists.")
    if target.exists() and not target.is_file():
        _write_special(target, content)  # e.g. /dev/null or a pipe: never replace it
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():
            fail(f"{folder} is a file, not a folder; give -o a path in a folder.")
        fail(f"The folder {folder} does not exist.")
    try:
        write_atomic(target, content)
    except OSError as exc:
        fail(f"Could not write {target}: {exc.strerror or exc}.")


def _write_special(target: Path, content: bytes) -> None:
    try:
        with target.open("wb") as handle:
            handle.write(content)
    except OSError as exc:
        fail(f"Could not write {target}: {exc.strerror or exc}.")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def _where(problem: FieldProblem, data_path: Path | None) -> str:
    name = f"{problem.path} ({problem.label})" if problem.path else problem.label
    if problem.line and data_path is not None:
        return f"{data_path}:{problem.line}: {name}"
    return name


def _fail_drafting(exc: DraftingError, data_path: Path | None = None) -> NoReturn:
    lines = [exc.message]
    for p in exc.problems:
        lines.append(f"  - {_where(p, data_path)}: {p.message}")
    fail("\n".join(lines))


def _print_problems(problems: list[FieldProblem], data_path: Path | None,
                    only_fields: bool = False) -> None:
    for p in problems:
        if only_fields and p.code.startswith("section_"):
            continue
        click.echo(f"{p.level}: {_where(p, data_path)}: {p.message}", err=True)


def _print_completeness(result: Completeness, as_json: bool) -> None:
    if as_json:
        import json


        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    marks = {"done": "done   ", "thin": "thin   ", "missing": "missing"}
    profile = f" (profile: {result.profile})" if result.profile else ""
    # a thin section counts half in the percentage: say how many are which
    tally = {status: sum(1 for s in result.sections if s.required and s.status == status)
             for status in ("done", "thin", "missing")}
    click.echo(f"Completeness of {result.template}{profile}: {result.percent}% of required "
               f"sections ({tally['done']} done, {tally['thin']} thin, {tally['missing']} "
               "missing; a thin one counts half)")
    for s in result.sections:
        need = "required" if s.required else "optional"
        words = f"{s.words} words" + (f" / {s.min_words} asked" if s.min_words else "")
        click.echo(f"  {marks[s.status]}  {s.title} ({need}; {words})")
        if s.status != "done" and s.guidance and s.required:
            click.echo(click.wrap_text(s.guidance, initial_indent="             ",
                                       subsequent_indent="             ", width=100))


def _print_report(report: Report | None, tk: Toolkit, data: Any = None) -> None:
    if report is None:
        return
    counts = report.counts()
    known = tk.audiences.get(report.audience) if report.audience else None
    audience = f" for {known.name if known else report.audience}" if report.audience else ""
    summary = (f"Phrase check{audience}: {counts['error']} error(s), {counts['warning']} "
               f"warning(s), {counts['suggestion']} suggestion(s)")
    readability = report.readability.to_dict() if report.readability else None
    if readability and readability.get("english") is False:
        summary += "; readability not scored (the text does not look like English)"
    elif readability and readability.get("flesch_kincaid_grade") is not None:
        summary += f"; reads at grade {readability['flesch_kincaid_grade']}"
        target = readability.get("target") or {}
        if target.get("max_grade") is not None:
            summary += f" (target: {target['max_grade']} or lower)"
    click.echo(summary + ".", err=True)
    from messaging.drafting import field_of, user_texts

    texts = user_texts(data)
    for flag in report.flags:
        if flag.severity in ("error", "warning") and not flag.quoted:
            # where to fix it: the field of the data file that holds the words (the line is
            # the document's, which the data file does not share)
            path = field_of(texts, flag.text)
            where = (f"{path}, document line {flag.line}" if path
                     else f"line {flag.line}:{flag.column}")
            click.echo(f"  {where} {flag.severity}: '{flag.text}': {flag.message}", err=True)
    root = click.get_current_context().find_root().command
    if counts["suggestion"] and isinstance(root, click.Group) and "check" in root.commands:
        click.echo("  (see every flag with: mastery check FILE)", err=True)
    sys.stderr.flush()


COMMANDS: list[click.Command] = [templates, draft]
