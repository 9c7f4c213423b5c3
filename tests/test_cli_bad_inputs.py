"""Bad input to the ``mastery`` CLI: a clear message and exit 2, never a traceback or
half-written file.

The real process is used where only it shows the behaviour (a closed pipe, closed standard
input, a full disk); click's CliRunner everywhere else.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli

MASTERY = str(Path(sys.executable).with_name("mastery"))


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def assert_clean_failure(result: Result, code: int = 2) -> None:
    """Exit ``code`` through a message, not an exception escaping the command."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert "Traceback" not in result.output


def process(command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True,  # noqa: S603,S607
                          timeout=60, **kwargs)  # type: ignore[call-overload,no-any-return]


# --------------------------------------------------------------- real process
def test_closed_pipe_is_quiet() -> None:
    """`mastery faq | head -1`: the reader goes away; no BrokenPipe traceback."""
    proc = subprocess.Popen([MASTERY, "faq", "--json"], stdout=subprocess.PIPE,  # noqa: S603
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the command writes anything
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
    assert "Exception ignored" not in err


def test_closed_standard_input() -> None:
    result = process(f"exec '{MASTERY}' ask --file - <&-")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "standard input is closed" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists()
                    or not stat.S_ISCHR(os.stat("/dev/full").st_mode),
                    reason="needs /dev/full")
def test_full_disk_on_standard_output() -> None:
    result = process(f"exec '{MASTERY}' faq > /dev/full")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert "No space left" in result.stderr


# ------------------------------------------------------------------- settings
def test_bad_port_from_the_environment(tmp_path: Path) -> None:
    result = run("users", "list", env={"MASTERY_PORT": "abc",
                                       "MASTERY_DATA_DIR": str(tmp_path)})
    assert_clean_failure(result)
    assert "MASTERY_PORT='abc'" in result.output


def test_out_of_range_port_from_the_environment(tmp_path: Path) -> None:
    result = run("serve", env={"MASTERY_PORT": "99999", "MASTERY_DATA_DIR": str(tmp_path)})
    assert_clean_failure(result)
    assert "MASTERY_PORT=99999" in result.output


def test_a_busy_port_gets_a_free_one_suggested(tmp_path: Path) -> None:
    import re
    import socket

    held = []
    try:
        first = socket.socket()
        first.bind(("127.0.0.1", 0))
        first.listen()
        held.append(first)
        port = first.getsockname()[1]
        # the next port is taken too (when it can be): the hint must not name it
        nxt = socket.socket()
        try:
            nxt.bind(("127.0.0.1", port + 1))
            nxt.listen()
            held.append(nxt)
        except OSError:
            nxt.close()
        result = run("serve", "--host", "127.0.0.1", "--port", str(port),
                     env={"MASTERY_DATA_DIR": str(tmp_path)})
        assert result.exit_code == 2, result.output
        assert f"cannot listen on 127.0.0.1:{port}" in result.output
        found = re.search(r"--port (\d+)", result.output)
        assert found, result.output
        suggested = int(found.group(1))
        assert suggested not in (port, port + 1)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", suggested))  # free
    finally:
        for sock in held:
            sock.close()


def test_data_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run("report", "unanswered", "--data-dir", str(blocker))
    assert_clean_failure(result)
    assert "data folder" in result.output
    result = run("users", "add", "dana", "--database-url", f"sqlite:///{blocker}/x.db")
    assert_clean_failure(result)


def test_report_on_an_empty_database(tmp_path: Path) -> None:
    result = run("report", "unanswered", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "No unanswered questions" in result.output


# ---------------------------------------------------------------------- check
def test_empty_allow_phrase() -> None:
    result = CliRunner().invoke(cli, ["check", "--allow", "", "-"], input="Seat time.\n")
    assert_clean_failure(result)
    assert "--allow" in result.output


# ---------------------------------------------------------------------- draft
@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "email.yaml"
    assert run("draft", "email", "--example", "-o", str(path)).exit_code == 0
    return path


def test_output_under_a_file(tmp_path: Path, example: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run("draft", "email", "--data", str(example), "-o", str(blocker / "out.md"))
    assert_clean_failure(result)
    assert "is a file, not a folder" in result.output
    assert blocker.read_text() == "x"


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path, example: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "real.md")
    assert run("draft", "email", "--data", str(example), "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert (tmp_path / "real.md").read_text().strip()


def test_output_to_a_device_is_never_replaced(tmp_path: Path, example: Path) -> None:
    """-o /dev/null (here through a link) writes into the device, never renames over it."""
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    assert run("draft", "email", "--data", str(example), "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# -------------------------------------------------------------- toolkit init
def test_init_onto_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert_clean_failure(run("toolkit", "init", str(blocker)))
    result = run("toolkit", "init", str(blocker / "tk"))
    assert_clean_failure(result)
    assert "a file is in the way" in result.output
    assert blocker.read_text() == "x"


def test_init_leaves_no_staging_folder(tmp_path: Path) -> None:
    assert run("toolkit", "init", str(tmp_path / "tk")).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tk"]
    assert (tmp_path / "tk" / "faq.yaml").is_file()


# ---------------------------------------------------------- broken toolkits
@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "tk"
    assert run("toolkit", "init", str(target)).exit_code == 0
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_template_syntax_error(copy: Path, example: Path) -> None:
    _append(copy / "templates" / "email.md.j2", "\n{% if %}\n")
    result = run("--toolkit", str(copy), "toolkit", "validate")
    assert result.exit_code == 1
    assert "templates/email.md.j2:" in result.output
    out = copy.parent / "out.md"
    result = run("--toolkit", str(copy), "draft", "email", "--data", str(example), "-o", str(out))
    assert_clean_failure(result)
    assert not out.exists()


@pytest.mark.parametrize("expression", ["{{ 1/0 }}", "{{ no_such_variable.attr }}"])
def test_template_that_fails_while_rendering(copy: Path, example: Path,
                                             expression: str) -> None:
    _append(copy / "templates" / "email.md.j2", f"\n{expression}\n")
    out = copy.parent / "out.md"
    result = run("--toolkit", str(copy), "draft", "email", "--data", str(example), "-o", str(out))
    assert_clean_failure(result)
    assert "could not be filled in" in result.output
    assert not out.exists()


def test_broken_page_layout(copy: Path, example: Path) -> None:
    (copy / "templates" / "layout" / "page.html.j2").write_text("{{ oops\n")
    out = copy.parent / "out.html"
    result = run("--toolkit", str(copy), "draft", "email", "--data", str(example), "-o", str(out))
    assert_clean_failure(result)
    assert "page.html.j2" in result.output
    assert not out.exists()


def test_rule_with_a_bad_pattern(copy: Path, example: Path) -> None:
    rules = copy / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "    - rigor~\n" in text
    rules.write_text(text.replace("    - rigor~\n", "    - (rigor~\n", 1), encoding="utf-8")
    result = run("--toolkit", str(copy), "toolkit", "validate")
    assert result.exit_code == 1
    assert "rules.yaml:" in result.output and "never closed" in result.output
    result = run("--toolkit", str(copy), "draft", "email", "--data", str(example), "-o", "-")
    assert_clean_failure(result)
    assert "phrase rules" in result.output


def test_unknown_name_in_a_template(copy: Path) -> None:
    _append(copy / "templates" / "email.md.j2", "\n{{ no_such_field }}\n")
    result = run("--toolkit", str(copy), "toolkit", "validate")
    assert result.exit_code == 1
    assert "templates/email.md.j2:" in result.output
    assert "'no_such_field' is not a field" in result.output


# ------------------------------------------------------------ odd option values
def test_output_named_pdf_is_refused(tmp_path: Path, example: Path) -> None:
    out = tmp_path / "release.pdf"
    result = run("draft", "email", "--data", str(example), "-o", str(out))
    assert_clean_failure(result)
    assert "cannot write PDF" in result.output
    assert not out.exists()


def test_config_that_is_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path), "-"], input="Hi.\n")
    assert_clean_failure(result)
    assert "is a folder" in result.output


def test_blank_toolkit_option_means_the_shipped_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--toolkit", "", "faq"])
    assert result.exit_code == 0, result.output


# -------------------------------------------------- long lines in check output
def _naive_source_line(text: str, start: int, end: int) -> tuple[str, str]:
    """The straightforward (slow on one-line megabyte files) way to show a flag's line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end].replace("\t", " ")
    width = max(1, min(end, line_end) - start)
    column = start - line_start
    caret = " " * column + "^" * width
    if len(line) > 160:
        left = max(0, column - 60)
        right = left + 160
        prefix = "…" if left else ""
        suffix = "…" if right < len(line) else ""
        return prefix + line[left:right] + suffix, " " * len(prefix) + caret[left:right]
    return line, caret


@pytest.mark.parametrize("text", [
    "Short line with rigor.\nAnother\tline with seat time.\n",
    "x " * 50 + "rigor " + "y " * 50,
    "a" * 300 + "\n" + "b " * 120 + "rigor" + " c" * 200 + "\n" + "d" * 10,
    "rigor" + " z" * 500,
    " z" * 500 + " rigor",
    "\n".join(f"line {i} has rigor and\tseat time" for i in range(30)),
])
def test_source_line_window_matches_the_whole_line_view(text: str) -> None:
    from bot.cli.check_cmd import _source_line
    from messaging.checker import Flag

    positions = [i for i in range(len(text)) if text.startswith(("rigor", "seat", "z"), i)]
    assert positions
    for start in positions:
        for length in (1, 5, 400):
            end = min(len(text), start + length)
            flag = Flag(rule="r", severity="warning", start=start, end=end, line=1, column=1,
                        text=text[start:end], message="m")
            assert _source_line(text, flag) == _naive_source_line(text, start, end), start


def test_draft_json_without_check_is_a_usage_error() -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["draft", "email", "--json"])
    assert result.exit_code == 2
    assert "--json goes with --check" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize(("args", "said"), [
    (("check", "/dev/zero"), "larger than 5 MB"),
    (("draft", "press-release", "--data", "/dev/zero"), "too large"),
])
def test_an_endless_file_is_refused_at_the_limit(args: tuple[str, ...], said: str) -> None:
    result = run(*args)
    assert_clean_failure(result)
    assert said in result.output
