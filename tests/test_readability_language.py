"""A text in another language gets no readability scores (the formulas are English's) and a
note saying why, in every interface; English texts, legends and tables included, are scored."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from bot.slack.blocks import readability_text
from messaging.checker import Checker
from messaging.markup import prepare
from messaging.matching import tokenize
from messaging.readability import NOT_ENGLISH_ADVICE, looks_english, readability
from toolkit import Toolkit

ROOT = Path(__file__).resolve().parent.parent

SPANISH = (
    "Estimadas familias: A partir de este año, las calificaciones de sus hijos mostrarán lo que "
    "cada estudiante ha aprendido en cada estándar. Los maestros darán más de una oportunidad "
    "para demostrar el aprendizaje. Si tiene preguntas, comuníquese con la escuela de su hijo."
)
OTHERS = {
    "spanish": SPANISH,
    "portuguese": "Queridas famílias, a partir deste ano os boletins dos seus filhos vão mostrar "
                  "o que cada aluno aprendeu em cada padrão. Os professores darão mais de uma "
                  "oportunidade para mostrar a aprendizagem. Se tiver perguntas, fale conosco.",
    "french": "Chers parents, cette année les bulletins de vos enfants montreront ce que chaque "
              "élève a appris pour chaque compétence. Les enseignants donneront plusieurs "
              "occasions de le montrer. Pour toute question, contactez l'école de votre enfant.",
    "vietnamese": "Kính gửi quý phụ huynh, năm nay học bạ của con em sẽ cho thấy mỗi học sinh đã "
                  "học được gì theo từng tiêu chuẩn. Giáo viên sẽ cho nhiều cơ hội để chứng minh "
                  "việc học. Nếu có câu hỏi, xin liên hệ với trường của con quý vị.",
    "chinese": "亲爱的家长们，从今年开始，孩子的成绩单将显示每个学生在每项标准上学到了什么。"
               "老师会给学生多次机会来展示所学内容。如有问题，请联系孩子的学校。",
}


@pytest.mark.parametrize("language", sorted(OTHERS))
def test_another_language_is_not_scored(language: str) -> None:
    r = readability(OTHERS[language])
    assert r is not None and r.english is False
    assert r.advice == (NOT_ENGLISH_ADVICE,) and not r.reliable and not r.long_sentences
    assert r.to_dict()["english"] is False
    # a review (session 23): "meets_target": true read as a pass to a client of the JSON
    assert r.to_dict()["meets_target"] is None


@pytest.mark.parametrize("text", [
    # a report card's legend: few function words of any language
    "4 Exceeds Standard 3 Meets Standard 2 Approaching Standard 1 Beginning NA Not Assessed "
    "IE Insufficient Evidence E Excellent S Satisfactory N Needs Improvement U Unsatisfactory "
    "Reading Writing Math Science Social Studies Art Music",
    # English with a Spanish sentence in it (a bilingual notice)
    "Dear families: this year report cards will show what each student has learned on each "
    "standard. Estimadas familias: este año las boletas mostrarán lo que cada estudiante ha "
    "aprendido. Teachers will give more than one chance to show it.",
    "Rigorous.",  # too short to tell
])
def test_english_legends_mixed_and_short_texts_are_scored(text: str) -> None:
    r = readability(text)
    assert r is not None and r.english is True and r.flesch_kincaid_grade != 0.0


def test_no_labelled_english_passage_is_taken_for_another_language() -> None:
    """Every passage of the real-text corpus (district pages, letters, legends, tables,
    statutes) is English: none may lose its scores."""
    passages = [p for f in sorted((ROOT / "benchmarks" / "checker_corpus").glob("*.yaml"))
                for p in yaml.safe_load(f.read_text(encoding="utf-8"))["passages"]]
    assert len(passages) > 1000
    others = [p["id"] for p in passages
              if not looks_english(tokenize(prepare(p["text"], "auto").prose))]
    assert others == []


def test_the_cli_says_why_there_are_no_scores(tmp_path: Path) -> None:
    letter = tmp_path / "carta.md"
    letter.write_text(SPANISH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--audience", "parents", str(letter)])
    assert result.exit_code == 0, result.output
    assert "readability not scored: the text does not look like English" in result.output
    assert "grade" not in result.output.split("readability", 1)[1].split("\n")[0]
    english = CliRunner().invoke(cli, ["check", "--audience", "parents", "-"],
                                 input="Teachers give feedback on each skill every week.")
    assert "readability for parents: grade" in english.output


def test_slack_and_json_say_it_too(toolkit: Toolkit) -> None:
    report = Checker.from_toolkit(toolkit).check(SPANISH, audience="parents")
    assert report.readability is not None
    assert report.to_dict()["readability"]["english"] is False
    text = readability_text(report.readability)
    assert "does not look like English" in text and "Grade" not in text
