"""``mastery toolkit verify --sources DIR``: every quoted figure is in a source it cites.

The shipped toolkit is checked against the five seed documents, which live
outside the repository (``shared/seeds`` next to the checkout; set
``MASTERY_SEEDS_DIR`` to point elsewhere). Bad-input tests use documents made
here, so they run everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from tests.seeds import find_seeds
from toolkit import default_toolkit_path, load_toolkit
from toolkit.verify import figures_in, verify

ROOT = Path(__file__).resolve().parent.parent


SEEDS = find_seeds()
needs_seeds = pytest.mark.skipif(
    SEEDS is None or not SEEDS.is_dir(),
    reason="the seed documents (shared/seeds beside the checkout, or MASTERY_SEEDS_DIR) "
           "are not on this machine",
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def own_toolkit(tmp_path: Path) -> Path:
    target = tmp_path / "toolkit"
    shutil.copytree(default_toolkit_path(), target,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    assert SEEDS is not None
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


# ------------------------------------------------------------ the shipped toolkit
@needs_seeds
def test_every_figure_in_the_shipped_toolkit_is_in_a_cited_seed() -> None:
    code, out, err = run("toolkit", "verify", "--sources", str(SEEDS))
    assert code == 0, out + err
    assert out.startswith("OK: ") and "every figure was found" in out
    figures = int(re.search(r"(\d+) figure\(s\)", out).group(1))  # type: ignore[union-attr]
    assert figures > 150  # the check really read the toolkit's figures


@needs_seeds
def test_a_planted_wrong_figure_fails_with_its_line(own_toolkit: Path) -> None:
    path = own_toolkit / "proof_points.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "72nd percentile" in line)
    lines[index] = lines[index].replace("72nd percentile", "82nd percentile")
    path.write_text("".join(lines), encoding="utf-8")
    code, out, err = run("--toolkit", str(own_toolkit), "toolkit", "verify",
                         "--sources", str(SEEDS))
    assert code == 1
    assert (f'proof_points.yaml:{index + 1}: chugach-test-scores: figure "82nd" not found in '
            "cited source ccsso-2016") in out.splitlines()
    assert "1 figure(s) not found" in err


@needs_seeds
def test_a_percentage_is_not_found_in_a_stray_number(own_toolkit: Path) -> None:
    """20 is in CCSSO's slides (January 20, 2016), but not as a percentage."""
    path = own_toolkit / "proof_points.yaml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"teacher turnover at Chugach School District fell from 55% to 2%\.",
                          "teacher turnover at Chugach School District fell by 20%.", text)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("--toolkit", str(own_toolkit), "toolkit", "verify",
                       "--sources", str(SEEDS))
    assert code == 1
    assert re.search(r'proof_points\.yaml:\d+: chugach-teacher-turnover: figure "20%" not found '
                     r"in cited source ccsso-2016", out)


def test_figures_are_read_by_value() -> None:
    figs = {f.text: (f.kind, f.value) for f in figures_in(
        "About 1.7 million start; $7 billion a year; 4 in 10 never finish; 72nd percentile; "
        "39% of them; 8 to 12 targets; in 2019; $50,000")}
    assert figs["1.7 million"] == ("number", 1_700_000)
    assert figs["$7 billion"] == ("number", 7_000_000_000)
    assert figs["4 in 10"][0] == "ratio" and figs["4 in 10"][1] == pytest.approx(0.4)
    assert figs["72nd"] == ("number", 72)
    assert figs["39%"] == ("percent", 39)
    assert figs["8"] == ("number", 8) and figs["12"] == ("number", 12)
    assert figs["2019"] == ("number", 2019)
    assert figs["$50,000"] == ("number", 50_000)
    assert figures_in("Students move on when they show mastery.") == []


def _tiny_toolkit(root: Path, statement: str, *, file: str | None = "report.md") -> Path:
    """A toolkit with one source (our own report) and one proof point quoting it."""
    root.mkdir()
    for name in ("findings.yaml", "faq.yaml", "myths.yaml", "audiences.yaml"):
        (root / name).write_text("", encoding="utf-8")
    line = f"  file: {file}\n" if file else ""
    (root / "sources.yaml").write_text(
        "- id: our-report\n  title: Annual report\n  author: Our agency\n  kind: report\n"
        + line, encoding="utf-8")
    (root / "proof_points.yaml").write_text(
        f"- id: our-figure\n  title: A figure\n  statement: {statement}\n"
        "  sources: [our-report]\n", encoding="utf-8")
    return root


def test_spellings_of_the_same_value_match(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.md").write_text(
        "Each year 1,700,000 students; seven billion dollars; twenty-six credits; "
        "twenty percent; three-fifths of teachers; the 72nd percentile.\n", encoding="utf-8")
    good = _tiny_toolkit(tmp_path / "good", "About 1.7 million students, $7 billion, 26 "
                         "credits, 20% of them, 3 in 5 teachers, 1 in 5 students, 72nd.")
    result = verify(load_toolkit(good), docs)
    assert result.figures == 7 and result.mismatches == []
    bad = _tiny_toolkit(tmp_path / "bad", "About 1.8 million students; 72% of them.")
    result = verify(load_toolkit(bad), docs)
    assert [m.figure for m in result.mismatches] == ["1.8 million", "72%"]
    assert str(result.mismatches[0]) == (
        'proof_points.yaml:3: our-figure: figure "1.8 million" not found in cited source '
        "our-report")


# ------------------------------------------------------------------- bad input
def test_missing_folder_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run("toolkit", "verify", "--sources", str(tmp_path / "nowhere"))
    assert code == 2 and out == ""
    assert "folder not found" in err and "Traceback" not in err


def test_a_file_instead_of_a_folder_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    code, _, err = run("toolkit", "verify", "--sources", str(tmp_path / "notes.txt"))
    assert code == 2 and "give the folder" in err


@needs_seeds
def test_a_cited_source_without_its_document_is_exit_2(seeds_copy: Path) -> None:
    (seeds_copy / "001_66f01c71e4aed4b5.txt").unlink()
    code, _, err = run("toolkit", "verify", "--sources", str(seeds_copy))
    assert code == 2
    assert "source 'ccsso-2016': no file matching '001_66f01c71e4aed4b5.txt'" in err


@needs_seeds
def test_a_binary_document_is_exit_2(seeds_copy: Path) -> None:
    (seeds_copy / "001_66f01c71e4aed4b5.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    code, _, err = run("toolkit", "verify", "--sources", str(seeds_copy))
    assert code == 2 and "looks like a binary file" in err and "Traceback" not in err


@needs_seeds
def test_a_document_that_is_not_utf8_is_exit_2(seeds_copy: Path) -> None:
    (seeds_copy / "001_66f01c71e4aed4b5.txt").write_bytes("caf\xe9 72nd".encode("latin-1"))
    code, _, err = run("toolkit", "verify", "--sources", str(seeds_copy))
    assert code == 2 and "not UTF-8 text" in err


@needs_seeds
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can read a file without read permission")
def test_an_unreadable_document_is_exit_2(seeds_copy: Path) -> None:
    doc = seeds_copy / "001_66f01c71e4aed4b5.txt"
    doc.chmod(0)
    try:
        code, _, err = run("toolkit", "verify", "--sources", str(seeds_copy))
    finally:
        doc.chmod(0o644)
    assert code == 2 and "cannot read the file" in err


def test_a_source_with_no_document_at_all_is_exit_2(tmp_path: Path) -> None:
    root = _tiny_toolkit(tmp_path / "tk", "Our graduation rate rose to 91%.", file=None)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, _, err = run("--toolkit", str(root), "toolkit", "verify", "--sources", str(docs))
    assert code == 2
    assert "source 'our-report' has no document: add `file:" in err


def _minimal_pdf(text: str | None) -> bytes:
    """A one-page PDF; with ``text`` None the page is blank (no text layer)."""
    content = b"" if text is None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _pdf_case(tmp_path: Path, pdf: bytes, statement: str) -> tuple[int, str, str]:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "annual-report.pdf").write_bytes(pdf)
    root = tmp_path / "tk"
    shutil.rmtree(root, ignore_errors=True)
    _tiny_toolkit(root, statement, file="annual-*.pdf")
    return run("--toolkit", str(root), "toolkit", "verify", "--sources", str(docs))


def test_a_pdf_source_is_read(tmp_path: Path) -> None:
    pdf = _minimal_pdf("Graduation rose to 91% in 2024.")
    code, out, err = _pdf_case(tmp_path, pdf, "Our graduation rate rose to 91% in 2024.")
    assert code == 0, out + err
    code, out, _ = _pdf_case(tmp_path, pdf, "Our graduation rate rose to 93% in 2024.")
    assert code == 1 and 'figure "93%" not found in cited source our-report' in out


def test_a_pdf_without_text_is_exit_2(tmp_path: Path) -> None:
    code, _, err = _pdf_case(tmp_path, _minimal_pdf(None), "Graduation rose to 91%.")
    assert code == 2 and "the PDF has no text to read" in err and "Traceback" not in err


def test_a_broken_pdf_is_exit_2(tmp_path: Path) -> None:
    code, _, err = _pdf_case(tmp_path, b"%PDF-1.4\nthis is not really a pdf\n", "Rose to 91%.")
    assert code == 2 and "annual-report.pdf" in err and "Traceback" not in err


def test_a_number_that_names_a_plan_or_a_section_is_not_a_figure() -> None:
    assert figures_in("Students with an IEP or a 504 plan, or 504 plans.") == []
    assert figures_in("Under Section 504 of the law") == []
    assert [f.text for f in figures_in("504 students had a plan")] == ["504"]
