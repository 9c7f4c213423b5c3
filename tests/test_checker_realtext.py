"""The error classes found on real text (issue: "a wording checker communicators trust"):
each class with sentences of its own shape, written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from messaging.checker import Checker
from messaging.markup import prepare
from messaging.matching import tokenize
from messaging.readability import split_sentences
from toolkit import Toolkit

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checker(toolkit: Toolkit) -> Checker:
    return Checker.from_toolkit(toolkit)


def rules_in(checker: Checker, text: str, audience: str | None = "parents") -> list[str]:
    return [f.rule for f in checker.check(text, audience=audience).counted
            if f.rule != "long-sentence"]


# ------------------------------------------------------------ jargon
def test_jargon_defined_anywhere_is_never_flagged(checker: Checker) -> None:
    text = ("Our school uses standards-referenced grading this year. Standards-referenced "
            "grading is a "
            "way for teachers to show progress on each skill.")
    assert "family-jargon" not in rules_in(checker, text)


def test_what_is_heading_explains_the_term(checker: Checker) -> None:
    text = "What are proficiency scales?\nProficiency scales show each level of a skill."
    assert rules_in(checker, text) == []


def test_jargon_is_flagged_once_per_text(checker: Checker) -> None:
    text = "Teachers use learning progressions. Learning progressions guide each unit."
    assert rules_in(checker, text) == ["family-jargon"]


def test_an_acronym_in_brackets_is_not_an_explanation(checker: Checker) -> None:
    assert rules_in(checker, "We are moving to standards-referenced grading (SBG).") == [
        "family-jargon"]
    assert rules_in(checker, "Seat time (the hours spent in class) no longer counts.") == []


def test_differentiated_instruction_is_flagged(checker: Checker) -> None:
    assert rules_in(checker, "Teachers use differentiated instruction.") == ["family-jargon"]


def test_reporters_get_jargon_flagged_too(checker: Checker) -> None:
    text = "Pilot districts will use summative assessments aligned to state standards."
    assert rules_in(checker, text, "reporters") == ["reporter-jargon"]


# ------------------------------------------------------------ sense
@pytest.mark.parametrize("text", [
    "Lawmakers voted to eliminate the state mandate on districts.",
    "The bill removes the mandate that districts issue these diplomas.",
    "The new grading model starts in the fall.",
    "Results must be comparable in rigor to the statewide assessment.",
    "Will my child spend all day on a computer?",
    "Is this only for advanced students?",
    "Myth: Students spend the day on computers.",
    "The bill calls for a restructuring of the diploma law.",
    "In biology, students design a fair experiment.",
    "The state joined the Innovative Assessment Demonstration Authority.",
    "Ask the counselor about gifted and talented testing.",
])
def test_wrong_senses_are_not_flagged(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


# ------------------------------------------------------------ quotes
@pytest.mark.parametrize("text", [
    "One parent expressed concerns that the untested system would hurt students.",
    "A father argued that rigorous letter grades had served his children well.",
    "A retired principal warned that the rules would impose a top-down system.",
    "A banner reading Stop The Experiment hung on the fence.",
    "Two parents opposed the bill, saying that students were being used as an experiment.",
    "The union backed the plan, adding that teachers would get a rigorous new training.",
    "“It is an experiment on our kids,” she told the board.",
    "“It is an experiment on our kids. We were never asked.\n\n“We want answers,” she said.",
    "Proponents describe the program as an innovative way to let students move on.",
    "Opponents characterized the new scale as untested.",
])
def test_reported_speech_counts_as_quoted(checker: Checker, text: str) -> None:
    report = checker.check(text, audience="parents")
    assert report.flags and all(f.quoted for f in report.flags if f.rule != "long-sentence")
    assert report.worst_severity is None


# ------------------------------------------------------------ misses
@pytest.mark.parametrize(("text", "rule"), [
    ("Beginning in 2029, the state requires a proficiency-based diploma.", "mandate-language"),
    ("As required by statute, students must show proficiency.", "mandate-language"),
    ("Every high school must award credits based on proficiency.", "mandate-language"),
    ("We will rethink everything about how school works.", "dramatically-rethink"),
    ("Schools will redesign the experience totally.", "dramatically-rethink"),
    ("Educators are redefining education.", "dramatically-rethink"),
    ("Our plan will change school schedules.", "reorganizes-time"),
    ("We will make changes in schedules, calendars and staffing.", "reorganizes-time"),
    ("A growing number of schools are adopting it.", "embraced-differently"),
    ("The approach can take a variety of forms.", "embraced-differently"),
    ("Next gen learning puts students first.", "fad-framing"),
    ("This is a paradigm-shifting moment.", "fad-framing"),
    ("They are the pioneers of a movement.", "fad-framing"),
    ("Learning will be student-driven, anywhere and anytime.", "concern-student-maturity"),
    ("Learning is anytime, student-driven and personal.", "concern-fundamentals"),
])
def test_misses_are_caught(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text)


# ------------------------------------------------------------ sentences
def sentence_words(text: str) -> list[int]:
    prose = prepare(text).prose
    return [s.words for s in split_sentences(prose, tokenize(prose))]


def test_headings_and_list_lines_end_their_sentence() -> None:
    text = "Grading Changes\nEach skill gets a score\n4 – Exceeds the standard\n3 – Meets it"
    assert sentence_words(text) == [2, 5, 4, 3]


def test_each_table_row_is_a_sentence_of_its_own() -> None:
    """A release's table of awards: each row ends its sentence, and so does the last row
    before the prose that follows it (session 17: seven rows read as one long sentence)."""
    rows = "".join(f"| Alder Creek Public Schools {i} | $50,000 |\n" for i in range(7))
    text = "The awards are listed below.\n\n| District | Grant |\n|---|---|\n" + rows + (
        "The Governor's report recommended it.")
    # (and since session 21 each cell is a sentence, as a Word table's cells are)
    assert sentence_words(text) == [5, 1, 1, *([5, 1] * 7), 5]


def test_long_legend_and_list_lines_end_their_sentence() -> None:
    """A legend or list line ends at its line end however long it is ("Emerging – …" is
    67 characters, more than a hard-wrapped prose line)."""
    text = ("Emerging – beginning to understand; works best with a lot of support\n"
            "Developing – understands part of the learning; works with some support\n"
            "- Meets the standard on every skill taught in the unit so far this term\n"
            "Proficient is the goal.")
    assert sentence_words(text) == [11, 10, 14, 4]


def test_hard_wrapped_prose_runs_on() -> None:
    text = ("Students who need more time on a skill will get extra help during the school\n"
            "day from their own teacher.")
    assert sentence_words(text) == [20]


def test_hyphenated_compounds_count_once_and_letter_grades_end_sentences() -> None:
    assert sentence_words("Standards-referenced grading is a skill-by-skill report.") == [6]
    assert sentence_words("It is one grade like a “B.” It helps families.") == [7, 3]
    assert sentence_words("J. Smith wrote the guide.") == [5]


def test_a_time_of_day_ends_a_sentence_only_before_a_capital() -> None:
    # ("a.m." is one word since session 9: a mark between two letters joins them)
    assert sentence_words("Doors open at 8 a.m. The bus comes later.") == [5, 4]
    assert sentence_words("Doors open at 8 a.m. on Mondays.") == [7]
    assert sentence_words("We close at 3 p.m. Families may call.") == [5, 3]


def test_a_phrase_flag_never_runs_from_a_heading_into_the_next_line(checker: Checker) -> None:
    text = "Questions for teachers\nDoes this mean more grading? Not after the first term."
    assert "concern-teacher-time" not in rules_in(checker, text, "teachers")


def test_a_phrase_flag_never_runs_across_an_emoji_bullet(checker: Checker) -> None:
    text = "Next year the plan reorganizes\n✅ Time for lunch moves to noon"
    assert "reorganizes-time" not in rules_in(checker, text, "parents")
    plain = "Next year the plan reorganizes time."
    assert "reorganizes-time" in rules_in(checker, plain, "parents")


# ------------------------------------------------------------ classes found on the fresh split
@pytest.mark.parametrize(("text", "rule"), [
    ("The staff at Oak Street know their pupils remarkably well.", "know-students-well"),
    ("All kids in the lower school now carry an iPad.", "technology-focus"),
    ("Each student in grades K–8 will be issued a tablet.", "technology-focus"),
    ("At this school you are in charge of your own education.", "concern-student-maturity"),
    # session 27: plain "complete the course early" is how every student moves on (labelled
    # in 1 of 8 corpus uses); "complete their courses a semester early" still is the worry
    ("Some learners complete their courses a semester early and start algebra.",
     "concern-only-for-gifted"),
    ("The committee proposes to rework the daily schedule.", "reorganizes-time"),
])
def test_fresh_split_miss_classes_are_caught(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text)


@pytest.mark.parametrize("text", [
    "Children won't sit in front of a laptop all morning.",
    "Students will not spend the whole afternoon on a tablet.",
    "Every student will be screened for vision in October.",
    "Several board members have asked whether this is the latest trend in schools.",
    "Families wondered if the new model was an experiment.",
])
def test_fresh_split_false_flag_classes_are_not_counted(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


def test_a_range_with_an_en_dash_does_not_break_a_clause() -> None:
    assert tokenize("grades 3–12 and K–8").norm == ["grades", "3", "12", "and", "k", "8"]
    assert tokenize("4 – Exceeds").norm == ["4", "–", "exceeds"]


def test_reported_speech_cues_come_from_the_toolkit(toolkit: Toolkit) -> None:
    from messaging.checker import SpeechCues

    cues = SpeechCues.from_toolkit(toolkit.reported_speech.values())
    assert {"said", "testified"} <= cues.says and "noted" in cues.says_that
    assert "whether" in cues.about["asked"] and "banner" in cues.displays
    bare = Checker.from_toolkit(toolkit)
    bare.speech = SpeechCues()
    assert [f.quoted for f in bare.check("A father said the plan was rigorous.").flags] == [False]
    assert Checker.from_data(Checker.from_toolkit(toolkit).to_data()).speech == cues


@pytest.mark.parametrize(("entry", "message"), [
    ("- id: x\n  kind: about\n  words: [voiced]\n", "needs 'then'"),
    ("- id: x\n  kind: says\n  words: [said]\n  then: [that]\n", "only for kind 'about'"),
    ("- id: x\n  kind: describes-as\n  words: [describe]\n  then: [as]\n",
     "only for kind 'about'"),
    ("- id: x\n  kind: says\n  words: [went on]\n", "one lower-case word"),
    ("- id: x\n  kind: shouts\n  words: [yelled]\n", "kind"),
])
def test_a_bad_reported_speech_entry_is_reported_at_its_line(
    tmp_path: Path, entry: str, message: str
) -> None:
    import shutil

    from toolkit.loader import ToolkitError, default_toolkit_path, load_toolkit

    root = tmp_path / "tk"
    shutil.copytree(default_toolkit_path(), root)
    (root / "reported_speech.yaml").write_text(entry, encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        load_toolkit(root)
    assert any(p.file == "reported_speech.yaml" and message in p.message
               for p in info.value.problems), info.value.problems


# ------------------------------------------------ classes found on the second fresh batch
@pytest.mark.parametrize(("text", "rule", "audience"), [
    ("Honestly, it is a lot more work for teachers.", "concern-teacher-time", "teachers"),
    ("Learn at any time, from anywhere you like.", "concern-fundamentals", "parents"),
    ("The district plans to eliminate deadlines next year.", "concern-student-maturity",
     "parents"),
])
def test_second_batch_miss_classes_are_caught(
    checker: Checker, text: str, rule: str, audience: str
) -> None:
    assert rule in rules_in(checker, text, audience)


@pytest.mark.parametrize("text", [
    "Students learn to meet deadlines in every class.",
    "Families can reach the office any time during school hours.",
    "The library keeps extra work for students to take home.",
])
def test_second_batch_near_misses_pass(checker: Checker, text: str) -> None:
    assert rules_in(checker, text, "teachers") == []


# ------------------------------------------ classes found on the third fresh batch (fresh3)
@pytest.mark.parametrize(("text", "rule", "audience"), [
    # the slogan and the use of the day, not just "reorganize time"
    ("Here, time is the variable for every learner.", "reorganizes-time", "parents"),
    ("We are rethinking how our students use their minutes.", "reorganizes-time", "parents"),
    ("Principals will revamp the middle school bell schedule.", "reorganizes-time", "parents"),
    ("The waiver decouples credit from seat time.", "reorganizes-time", "parents"),
    # intensifiers, comparatives and "by name"
    ("Our advisors get to know the children so well.", "know-students-well", "parents"),
    ("Coaches knew their players' kids far better.", "know-students-well", "parents"),
    ("Every learner is known by an adult at school.", "know-students-well", "parents"),
    # readiness decided by the student; steering metaphors; "you" in handbooks
    ("Most students decide when they are ready to retest.", "concern-student-maturity",
     "parents"),
    ("You are the captain of your own path here.", "concern-student-maturity", "parents"),
    ("You pick what to study each afternoon.", "concern-student-maturity", "parents"),
    # finishing ahead, accelerating
    ("Several seniors graduated a semester ahead of schedule.", "concern-only-for-gifted",
     "parents"),
    ("Fast learners can accelerate through the next course.", "concern-only-for-gifted",
     "parents"),
    # more teacher hours, said another way
    ("Scoring retakes costs teachers evenings of unpaid work.", "concern-teacher-time",
     "teachers"),
    ("Teachers were stretched thin all spring.", "concern-teacher-time", "teachers"),
    # software choosing; a long subject before the device
    ("The platform selects the next unit for each child.", "concern-tech-reliance", "parents"),
    ("Every Roosevelt student from grade 6 through grade 12 receives a tablet.",
     "technology-focus", "parents"),
    ("Lessons use an adaptive practice platform.", "technology-focus", "parents"),
    # knocking, rethink, embraced, mandate, fad
    ("Schools were built for an agrarian economy.", "knocking-schools", "parents"),
    ("The proposal turns the report card on its head.", "dramatically-rethink", "parents"),
    ("This model completely transforms the high school.", "dramatically-rethink", "parents"),
    ("Competency-based learning looks different in each district.", "embraced-differently",
     "parents"),
    ("Counties are at varying stages of the transition.", "embraced-differently", "parents"),
    ("All public elementary schools shall adopt the report card.", "mandate-language",
     "parents"),
    ("It is a pioneering model for rural schools.", "fad-framing", "parents"),
])
def test_third_batch_miss_classes_are_caught(
    checker: Checker, text: str, rule: str, audience: str
) -> None:
    assert rule in rules_in(checker, text, audience)


@pytest.mark.parametrize(("text", "audience"), [
    # a rule or policy adopted by a board is not "embraced by schools"
    ("The grading rule adopted by the State Board of Education took effect in May.",
     "parents"),
    # jargon explained between dashes, or by a dash to the sentence's end
    ("Students complete performance tasks — projects that apply a skill to a real problem — "
     "each term.", "reporters"),
    ("Each unit ends with a summative assessment – a final test of the unit's skills.",
     "parents"),
    # what message testing liked, and the remedies the rules themselves suggest
    ("Our advisors help each student own their learning.", "parents"),
    ("Teachers get two extra planning days before school starts.", "teachers"),
    ("You know your child better than anyone, so tell us what you see at home.", "parents"),
    ("Our students are not lab rats: nearby schools have used this for a decade.", "parents"),
])
def test_third_batch_false_flag_classes_pass(checker: Checker, text: str, audience: str) -> None:
    assert rules_in(checker, text, audience) == []


def test_a_dash_that_opens_a_new_clause_does_not_explain_the_term(checker: Checker) -> None:
    text = "Students take a summative assessment — and then the class moves on."
    assert "family-jargon" in rules_in(checker, text, "parents")


# ------------------------------------------ classes found on the fourth fresh batch (fresh4)
@pytest.mark.parametrize(("text", "rule", "audience"), [
    ("Middle school teachers are swamped with grading this fall.", "concern-teacher-time",
     "teachers"),
    ("Staff give up their Sundays scoring reassessments.", "concern-teacher-time", "teachers"),
    ("The legislature imposed it on every district.", "mandate-language", "parents"),
    ("Some children will go on without waiting for the rest of the class.",
     "concern-only-for-gifted", "parents"),
    ("The superintendent wants to reinvent the whole school experience.",
     "dramatically-rethink", "parents"),
    ("Teachers would have to plan separate tasks for each child.", "concern-unrealistic",
     "parents"),
    ("Our counselors know all of the kids as people first.", "know-students-well", "parents"),
    ("The program has no fixed deadlines.", "concern-student-maturity", "parents"),
])
def test_fourth_batch_miss_classes_are_caught(
    checker: Checker, text: str, rule: str, audience: str
) -> None:
    assert rule in rules_in(checker, text, audience)


@pytest.mark.parametrize(("text", "audience"), [
    # an appositive that explains a term ("X, about …") is an explanation
    ("Credit used to depend on the Carnegie unit, about 120 hours of class time.",
     "reporters"),
    # the same words about buildings, bells and lunch menus
    ("Please come into the building without waiting for the bell.", "parents"),
    ("Students spend their weekends practicing for the spring concert.", "teachers"),
    ("We rebuilt the entire playground with help from parents.", "parents"),
    ("Teachers plan different activities for each reading group.", "parents"),
])
def test_fourth_batch_near_misses_pass(checker: Checker, text: str, audience: str) -> None:
    assert rules_in(checker, text, audience) == []


# ------------------------------------------------------- session 5: real-page classes
@pytest.mark.parametrize("text", [
    "Proficiency-based graduation requirements (PBGR) are the set of skills every student "
    "shows before graduating.",
    "What are scoring guides and proficiency scales? They are charts that show each level.",
    "The purpose of standards-referenced grading is to report what a student knows.",
    "Standards-referenced grading shows how your child is doing on each skill.",
    "Our school uses standards-referenced grading. Instead of one letter grade, your child gets "
    "a score for each skill.",
    "Teachers use proficiency scales, short charts that describe each level of a skill.",
    # session 14
    "Our schools moved to standards-referenced grading this year. In this system, students get a "
    "score for each skill.",
    "Our high schools use proficiency-based grading. Here is what that means for you: each "
    "course lists its skills.",
    "The district will move to standards-referenced grading, which scores how well a student has "
    "mastered each skill.",
    "Standards-Referenced Grading at Ridgeview: Questions from Families\n"
    "Will my child move ahead faster? Yes, when ready.",
    "Our school uses a mastery transcript, which the district describes as a record of skills.",
    # session 17: the scale spelled out after a colon
    "Unlike A, B and C grades, proficiency-based grading uses four levels: Beginning, "
    "Developing, Proficient and Advanced.",
])
def test_jargon_explained_the_ways_real_pages_explain_it(checker: Checker, text: str) -> None:
    assert "family-jargon" not in rules_in(checker, text)


def test_jargon_not_explained_is_still_flagged(checker: Checker) -> None:
    for text in ("Our school uses standards-referenced grading this year. It starts in October.",
                 "Standards-referenced grading uses four report cards a year, starting in October.",
                 "Standards-referenced grading, which the board adopted in 2019, starts now."):
        assert rules_in(checker, text) == ["family-jargon"], text


def test_concerns_about_a_topic_are_the_writers_words_a_clause_is_speech(
    checker: Checker,
) -> None:
    # the writer names the topic: their own wording is checked
    topic = ("Parents voiced loud opposition to the district's plan for standards-referenced "
             "grading.")
    assert rules_in(checker, topic) == ["family-jargon"]
    # what they said, as a clause, is reported speech
    for text in ("Parents voiced concerns that the change is an experiment on children.",
                 "Parents raised concerns about whether it is an experiment on children."):
        report = checker.check(text, audience="parents")
        assert [f.rule for f in report.counted if f.rule != "long-sentence"] == [], text
        assert any(f.quoted for f in report.flags), text


def test_a_line_ending_in_a_colon_ends_its_sentence() -> None:
    prose = ("After a year of meetings our staff and our parent council chose a single slogan:\n"
             "Mastery is about what students can do.")
    assert sentence_words(prose) == [15, 7]


# ------------------------------------------------- session 5: second real-page audit
def test_a_one_word_gloss_in_brackets_explains_an_acronym_does_not(checker: Checker) -> None:
    assert rules_in(checker, "Students take a summative (final) test in May.") == []
    assert rules_in(checker, "Students take a summative (SBG) test in May.") == ["family-jargon"]


def test_an_faq_question_naming_the_term_answered_with_it_explains_it(
    checker: Checker,
) -> None:
    text = ("What makes standards-based report cards different?\n"
            "A standards-based report card gives each skill its own mark.")
    assert rules_in(checker, text) == []
    # the next sentence does not use the term: the question alone explains nothing
    text = "Why is the school moving to standards-referenced grading? The board voted in May."
    assert rules_in(checker, text) == ["family-jargon"]


@pytest.mark.parametrize("text", [
    "The district joined the Next Generation Learning Challenges network.",
    "Three schools won Innovative School Models grants this year.",
    "We applied to the Innovative Approaches Fund last spring.",
])
def test_weak_words_inside_a_proper_name_are_not_the_writers_framing(
    checker: Checker, text: str
) -> None:
    assert rules_in(checker, text) == []


@pytest.mark.parametrize("text", [
    "Our innovative approach starts in May.",
    "Innovative programs are everywhere this year.",
    "Our Innovative New Approach to Learning\nStudents start in May.",
])
def test_weak_words_outside_a_name_are_still_flagged(checker: Checker, text: str) -> None:
    assert "fad-framing" in rules_in(checker, text)


def test_a_trailing_attribution_makes_the_sentence_reported_speech(checker: Checker) -> None:
    text = "The change will hold back high-achieving students, several board members said."
    report = checker.check(text, audience="parents")
    assert [f.rule for f in report.counted if f.rule != "long-sentence"] == []
    assert any(f.quoted and f.rule == "concern-only-for-gifted" for f in report.flags)
    # without the attribution the writer says it
    assert "concern-only-for-gifted" in rules_in(
        checker, "The plan is built for high-achieving students.")


# -------------------------------------------------- session 5: third real-page audit
def test_a_term_inside_a_longer_program_name_with_its_acronym_is_a_name(
    checker: Checker,
) -> None:
    text = "Schools joined Performance Assessment for Competency Education (PACE) last year."
    assert rules_in(checker, text) == []
    # the term alone with its acronym is still the term, unexplained
    assert rules_in(checker, "We are moving to Standards-Referenced Grading (SBG) this year.") == [
        "family-jargon"]


@pytest.mark.parametrize("text", [
    "Proficiency-based grading calculates a student's level from the most recent work.",
    "Our school uses standards-referenced grading. It is a way to report each skill.",
    "Standards-referenced grading measures what a student knows.",
])
def test_jargon_described_by_what_it_does_is_explained(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


def test_a_letter_grade_after_my_ends_its_sentence() -> None:
    assert sentence_words("I was proud of my A. I would spend hours on every paper.") == [6, 7]
    assert sentence_words("J. Smith wrote it.") == [4]


def test_a_long_headline_line_ends_its_sentence() -> None:
    text = ("Coalition Launches Campaign to Bring Competency-Based Learning to Every School in "
            "the State Next Year\nCAPITAL CITY — The coalition launched a campaign today.")
    assert sentence_words(text) == [15, 8]


# -------------------------------------------------- session 5: fourth real-page audit
def test_variants_of_one_jargon_term_are_flagged_once(checker: Checker) -> None:
    text = ("Teachers give summative tests. The summative assessments come at the end of "
            "each unit.")
    assert rules_in(checker, text) == ["family-jargon"]
    # two different terms are still two flags
    text = "Students take a summative test. Teachers follow a learning progression."
    assert rules_in(checker, text) == ["family-jargon", "family-jargon"]


def test_a_stem_shared_with_a_term_is_not_the_term(checker: Checker) -> None:
    assert rules_in(checker, "Grades show each student's learning progress this year.") == []


def test_label_lines_end_their_sentence() -> None:
    text = ("Our goals for every student\n"
            "Equity: every student gets what they need to reach each standard in every class "
            "this year\n"
            "Voice: students help set goals with their teachers and families every quarter "
            "of the year\n"
            "Growth: we measure progress on each skill over time")
    assert sentence_words(text) == [5, 16, 15, 9]


def test_the_world_changing_is_not_a_dramatic_redesign(checker: Checker) -> None:
    assert rules_in(checker, "Our graduates face drastically changing job markets.",
                    audience="legislators") == []
    assert "dramatically-rethink" in rules_in(
        checker, "The plan drastically changes how schools work.", audience="legislators")


# -------------------------------------------------- session 5: fifth real-page audit
@pytest.mark.parametrize("text", [
    "Our standards-based report card is designed to tell families where each skill stands.",
    "Summative assessments are our unit-closing tests in every class.",
    "In a standards-referenced grading classroom, every mark describes one skill.",
    "Standards-referenced grading is different. Each skill gets its own mark.",
    "How does proficiency-based grading work? Each skill gets a level from 1 to 4.",
    "Our teachers rely on proficiency scales to measure growth one skill at a time.",
])
def test_jargon_a_page_talks_about_is_explained(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


def test_a_quoted_first_use_leaves_the_writers_first_use_flagged(checker: Checker) -> None:
    text = ('Parents signed a petition called "Stop Standards-Referenced Grading Now". The board '
            "will discuss standards-referenced grading in May.")
    report = checker.check(text, audience="parents")
    jargon = [f for f in report.flags if f.rule == "family-jargon"]
    assert [f.quoted for f in jargon] == [True, False]


# -------------------------------------------------- session 5: sixth real-page audit
def test_a_list_bullet_on_the_next_line_is_not_a_dash_explanation(checker: Checker) -> None:
    text = "Proficiency Scales\n- They show what each level looks like for a skill."
    assert rules_in(checker, text) == ["family-jargon"]
    # a dash on the same line still explains
    text = "Teachers use proficiency scales — charts of what each level looks like — every week."
    assert rules_in(checker, text) == []


def test_standards_adopted_by_the_state_are_not_embraced_differently(checker: Checker) -> None:
    assert rules_in(checker, "These standards were adopted by our state in 2019.") == []
    assert rules_in(checker, "Students lived through a disrupted education system.") == []


# -------------------------------------------------- session 6: seventh real-page audit
@pytest.mark.parametrize("text", [
    "Summative assessments can include a final exam, a lab report or a short film.",
    "Core competencies encompass the thinking and social skills every course builds.",
    "Under standards-referenced grading, each skill gets its own mark from 1 to 4.",
    "Students meet a proficiency-based diploma requirement, whereby each skill is shown.",
])
def test_jargon_explained_by_what_it_includes_or_how_it_works_is_not_flagged(
    checker: Checker, text: str
) -> None:
    assert rules_in(checker, text) == []


@pytest.mark.parametrize(("text", "audience"), [
    ("In a seat-time class the advanced student waits, and the struggling student rushes.",
     "legislators"),
    ("You can find the state requirements for schools in the education code.", "parents"),
])
def test_seventh_audit_near_misses_pass(checker: Checker, text: str, audience: str) -> None:
    assert rules_in(checker, text, audience=audience) == []


@pytest.mark.parametrize(("text", "rule", "audience"), [
    ("From 2027 the approach is required in every public high school.", "mandate-language",
     "parents"),
    ("The state wants to blow up its century-old school system.", "dramatically-rethink",
     "parents"),
    ("We are radically remaking the ninth grade.", "dramatically-rethink", "parents"),
    ("Next year students will chart their own academic course.", "concern-student-maturity",
     "parents"),
    ("No more cookie-cutter education for our kids.", "knocking-schools", "parents"),
    # session 27: "flexible pathways" left the jargon list (mostly the name of Vermont's
    # initiative; labelled jargon in 3 of 25 corpus uses)
])
def test_seventh_audit_miss_classes_are_caught(
    checker: Checker, text: str, rule: str, audience: str
) -> None:
    assert rule in rules_in(checker, text, audience=audience)


# -------------------------------------------------- session 6: eighth real-page audit
def test_a_heading_over_a_section_that_uses_the_term_explains_it(checker: Checker) -> None:
    text = ("Standards-Referenced Grading\n\nEach report card lists the skills for the year. "
            "Standards-referenced grading gives every skill its own mark from 1 to 4.")
    assert rules_in(checker, text) == []
    # a heading alone, with a section that never comes back to the term, does not
    # (saying what the report card does would explain it: see the session-8 tests)
    text = "Standards-Referenced Grading\n\nEach family gets a letter about it in May."
    assert rules_in(checker, text) == ["family-jargon"]


@pytest.mark.parametrize(("text", "audience"), [
    ("Our board agreed there should be no drastic changes to how grades are given.", "parents"),
    ("Our interns keep learning both in and outside of the classroom all year.",
     "teachers"),
    ("We are moving to a standards-referenced grading system. Instead of one letter for a class, "
     "your child gets a mark for each skill.", "parents"),
])
def test_eighth_audit_near_misses_pass(checker: Checker, text: str, audience: str) -> None:
    assert rules_in(checker, text, audience=audience) == []


@pytest.mark.parametrize(("text", "rule"), [
    ("State law now includes a requirement that every district report by skill.",
     "mandate-language"),
    ("Districts are now required to create a graduate profile.", "mandate-language"),
    ("The task force wants to significantly restructure the diploma.", "dramatically-rethink"),
    ("Coaches model innovative instructional moves for new teachers.", "fad-framing"),
])
def test_eighth_audit_miss_classes_are_caught(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text, audience="parents")


# -------------------------------------------------- session 7: audits 10 and 11
@pytest.mark.parametrize("text", [
    "Competency-based grading treats practice work as practice and reports each skill.",
    "Summative assessments separate what a student knows from how they behave in class.",
    "Standards-referenced grading focuses on the skills a student has shown.",
])
def test_jargon_explained_by_what_it_does_is_not_flagged(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


def test_an_faq_title_explains_its_term(checker: Checker) -> None:
    text = ("Standards-Referenced Grading FAQs\n\nWhen do report cards come home?\n\n"
            "They come home four times a year.")
    assert rules_in(checker, text) == []
    # a heading that is not an FAQ's title leaves the term unexplained
    plain = "Standards-Referenced Grading\n\nReport cards come home four times a year."
    assert rules_in(checker, plain) == ["family-jargon"]


def test_a_legend_explains_its_term(checker: Checker) -> None:
    text = ("Progress is reported with one of four proficiency indicators:\n"
            "4 Exceeds the standard\n3 Meets the standard\n2 Approaching\n1 Beginning")
    assert rules_in(checker, text) == []
    # a colon that ends the text (no list follows) explains nothing
    assert rules_in(checker, "Progress is reported with proficiency indicators:") == [
        "family-jargon"]


# -------------------------------------------------- session 8: a real-page audit
@pytest.mark.parametrize(("text", "audience"), [
    # message testing ranked "students take more ownership of their learning" fourth among
    # the benefits (findings.yaml benefit-ownership): not the maturity worry
    ("Our goal is more student ownership of learning.", "parents"),
    ("Student ownership of learning increases as the focus shifts to skills.", "teachers"),
    # "changes" is the verb here, not "system changes"
    ("This system changes the way that teachers give feedback on progress.", "parents"),
    # students at different levels, not schools embracing the idea differently
    ("Students will arrive at school in very different places along the learning path.",
     "parents"),
    # a term defined by "we refer to X as TERM"
    ("We chose a few standards that matter most. We refer to those prioritized standards as "
     "Power Standards. Teachers report on the power standards each term.", "parents"),
])
def test_session_8_audit_near_misses_pass(checker: Checker, text: str, audience: str) -> None:
    assert rules_in(checker, text, audience=audience) == []


@pytest.mark.parametrize(("text", "words"), [
    # a greeting line is its own sentence
    ("Dear Families,\nAs we wrap up the semester, we would like to share some news.", [2, 13]),
    # session 21: a salutation without "Dear" ("Parents and Guardians,"), alone on its line
    ("Parents and Guardians,\nMonroe One BOCES keeps working for every student.", [3, 8]),
    ("Eagle Families,\nOur report cards go home Friday.", [2, 6]),
    # session 21 (a review): a table row's cells are sentences, as a Word table's cells are
    ("| Step | When |\n| --- | --- |\n| Teachers write scales for each unit. | February to "
     "April 2026 |\n", [1, 1, 6, 4]),
    # long headlines without a full stop over a dateline paragraph
    ("Pilot allows districts to redesign high school around student learning\n"
     "Applications now open for second cohort of the pilot\n"
     "SPRINGFIELD – The board released the request today.", [10, 9, 7]),
    # list items that lost their bullets, ending in a comma or a semicolon
    ("The improvement of achievement in all content areas,\nThe mastery of defined outcomes,\n"
     "The reporting of achievement.", [8, 5, 4]),
    ("Promote learning that has meaning to students;\nAdvance students to higher-level work;\n"
     "Keep all students on track.", [7, 5, 5]),
    # a footnote marker after a full stop
    ("Scores fell in 2021.[2] Nearly half of adults agree.", [4, 6]),
    # ... but hard-wrapped prose, a wrapped comma and a resolution's recitals run on
    ("Students who need more time on a skill will get extra help during the school\n"
     "day from their own teacher.", [20]),
    ("As we wrap up the semester and look ahead to the next term of the year,\n"
     "Principal Ames will share the new schedule.", [23]),
    ("In the fall of 2024,\nMonroe One BOCES will share the new schedule.", [13]),
    ("WHEREAS the board has studied mastery-based schools in the state;\n"
     "NOW, THEREFORE, BE IT RESOLVED that the board supports the plan.", [21]),
    ("Teachers in our district met with families from across the county to talk about\n"
     "Kentucky's new rules for credit.", [19]),
])
def test_session_8_sentence_splitting(text: str, words: list[int]) -> None:
    assert sentence_words(text) == words


@pytest.mark.parametrize(("text", "words"), [
    # a title before a name in news copy does not end the sentence
    ("LANSING — Gov. Dana Ortiz awarded $400,000 to three districts. They start in May.",
     [9, 4]),
    # a number with a thousands separator, a decimal, a time or "U.S." is one word
    ("The 1,200 students in the U.S. pilot met at 3:30 for 2.5 hours.", [13]),
    ("Sen. Ortiz and Rep. Blake filed the bill. It passed.", [8, 2]),
    ("Supt. Dana Ortiz spoke first.", [5]),
    # nor a state's abbreviation after a place in a dateline
    ("MONTPELIER, Vt. — Students at the high school will graduate under the new rules.",
     [13]),
    ("CONCORD, N.H. — The state board voted on Tuesday. It was close.", [8, 3]),
    ("TALLAHASSEE, Fla. – Today the department named six districts.", [8]),
    # a spaced hyphen inside a line is a dash, not a list bullet
    ("Some kids try hard - or barely try - and still pass.", [10]),
    ("COLUMBIA, S.C. - The state board met today.", [7]),
    ("Next steps:\n- Meet the teacher\n  - Read the guide", [2, 3, 3]),
    # ... but the same words end a sentence elsewhere
    ("She was ill. Then she came back.", [3, 4]),
    ("The new rules start in Pa. Next year they spread.", [6, 4]),
])
def test_session_9_titles_and_datelines(text: str, words: list[int]) -> None:
    assert sentence_words(text) == words


@pytest.mark.parametrize(("text", "words"), [
    # list bullets pasted from Word and PDF files open an item like "•" and "-" do
    ("The report covers:\n    ●   How the pilot started;\n    ●   Who took part;\n"
     "    ▪   What it cost.", [3, 4, 3, 3]),
    ("Steps\n■ Meet the teacher\n► Read the guide\n✓ Ask questions", [1, 3, 3, 2]),
    # session 20 (real pages): emoji used as bullets in newsletters and social posts
    ("A few reminders before you open it:\n✅ Each skill gets its own mark\n"
     "✅ A 3 means the standard is met", [7, 6, 7]),
    ("What will you notice?\n📚 Project time on Friday afternoons\n☑️ A new report card", [4, 5, 4]),
    # ... but not inside a line
    ("Grades ● effort ● attendance", [3]),
    # an initial ends its sentence when a quotation opens after it
    ('"It is a start," said Dana Lee, Ph.D. "It helps every student."', [8, 4]),
    ("Dana J. Lee, Ed.D. “We are ready,” she said.", [4, 5]),
    # ... and still does not before a name
    ("Dana J. Lee spoke first.", [5]),
])
def test_session_10_bullets_and_initials(text: str, words: list[int]) -> None:
    assert sentence_words(text) == words


def test_a_citation_after_a_sentence_ends_with_its_line() -> None:
    text = ("Every student deserves work that prepares them for a career. (“Our State Plan”)\n"
            "When the plan began, teachers wrote the skills for each course together.")
    assert sentence_words(text) == [10, 3, 12]
    # a long line ending in a bracket inside its sentence runs on
    text = ("Students in the pilot schools, which are spread across the whole state (see map)\n"
            "And two more words.")
    assert sentence_words(text) == [18]



@pytest.mark.parametrize("text", [
    "Dear Parents, the standards-based report card will continue this year. This report card "
    "will help you understand your child's progress on each standard.",
    "We have introduced a new standards-based report card for grades K-4. This redesigned "
    "report card focuses on each student's growth toward the state standards.",
    "Standards-referenced grading for report cards\nThe district uses standards-referenced "
    "grading. The "
    "purpose of the report card is to inform families about progress on each standard.",
    "However, a standards-referenced report card breaks down each subject into a list of "
    "skills.",
    "A standards-based report card represents how far a child has come on each skill this "
    "term.",
])
def test_a_text_that_says_what_its_report_card_does_explains_it(checker: Checker,
                                                                 text: str) -> None:
    assert "family-jargon" not in rules_in(checker, text, audience="parents")


def test_describing_another_thing_explains_nothing(checker: Checker) -> None:
    # the report card is described, the summative assessments are not
    text = ("Summative assessments come at the end of each unit. This report card shows each "
            "skill on its own.")
    assert rules_in(checker, text, audience="parents") == ["family-jargon"]
    text = "We are moving to standards-referenced grading next fall. The bus schedule shows stops."
    assert rules_in(checker, text, audience="parents") == ["family-jargon"]


def test_terms_three_real_text_labellers_flagged(checker: Checker) -> None:
    flagged = [f.text for f in checker.check(
        "Your child has three learning targets this week. Reading help happens in the "
        "intervention block, and our MTSS team meets monthly.", audience="parents").flags]
    assert flagged == ["learning targets", "intervention block", "MTSS"]


def test_an_acronym_introduced_in_brackets_is_explained_but_not_its_term(
        checker: Checker) -> None:
    # "(SBG)" alone does not explain standards-referenced grading, but it does introduce SBG
    flagged = [f.text for f in checker.check(
        "We are moving to standards-referenced grading (SBG) next fall. SBG gives every skill a "
        "mark.", audience="parents").flags]
    assert flagged == ["standards-referenced grading"]
    # an acronym nobody introduced is jargon of its own
    flagged = [f.text for f in checker.check(
        "Next fall SBG gives every skill a mark.", audience="parents").flags]
    assert flagged == ["SBG"]


@pytest.mark.parametrize(("text", "audience"), [
    # "educator~" and "education" share the stem "educ": a state board making rules is not
    # a mandate on schools
    ("The state board of education shall adopt rules to prescribe the conditions.",
     "legislators"),
    ("Teachers use formative assessment to evaluate the learning during a lesson.", "parents"),
    ("The Proficiency Scale is about measuring growth, not a single score.", "parents"),
    ("Our district is implementing a standards-based report card. This approach focuses on "
     "the skills each child has learned by the end of the year.", "parents"),
    ("A standards-referenced grading system certifies what a student has shown by the end of a "
     "grading period.", "parents"),
])
def test_session_8_fifth_audit_near_misses_pass(checker: Checker, text: str,
                                                audience: str) -> None:
    assert rules_in(checker, text, audience=audience) == []


def test_no_pattern_word_shares_its_stem_with_another_word_family() -> None:
    """``word~`` matches every word with the same stem: "educator~" matched "education",
    "indicator~" matched "indicates", "experiment~" matched "experience"."""
    import re as _re

    from messaging.matching import stem

    lines = (ROOT / "toolkit" / "content" / "rules.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in lines.splitlines() if not line.lstrip().startswith("#"))
    used = set(_re.findall(r"\b([a-z]+)~", text))
    strangers = {"education": "educator", "indicates": "indicator", "experience": "experiment",
                 "initially": "initiative", "personally": "personalize"}
    for other, word in strangers.items():
        assert not (word in used and stem(word) == stem(other)), (
            f"'{word}~' also matches '{other}': write '{word}*' or its forms")


@pytest.mark.parametrize(("text", "quoted"), [
    # a quotation introduced by a verb of saying and a colon, on its own lines
    ("Why are we piloting it?\nIn its report the state department of education states that:\n"
     "Every learner should get a rigorous course of study. Each one deserves "
     "a rigorous course.", [True, True]),
    # ... or inline, to the end of the sentence
    ("The report states: every student gets a rigorous education.", [True]),
    ("The department wrote: students deserve a rigorous course.", [True]),
    # the writer's own words after the quotation's paragraph, or after a colon that quotes
    # no one, are still flagged
    ("The state department of education states that:\nEach student will learn.\n\n"
     "Our school offers a rigorous program.", [False]),
    ("The plan has three parts: a rigorous course, a project and a test.", [False]),
    ("The report states: every student learns. We offer a rigorous program.", [False]),
    # a forum post's header: the poster's own words follow
    ("hawkeyemom22 wrote:\nOur school calls its new program rigorous, and I agree.", [False]),
])
def test_a_quotation_after_states_that_and_a_colon_is_not_the_writers(
        checker: Checker, text: str, quoted: list[bool]) -> None:
    report = checker.check(text, audience="parents")
    assert [f.quoted for f in report.flags if f.rule == "rigorous"] == quoted


def test_a_what_or_how_faq_heading_answered_below_explains_its_term(checker: Checker) -> None:
    text = ("How is standards-referenced grading different from letter grades?\n"
            "The two systems give families very different information about learning.")
    assert "family-jargon" not in rules_in(checker, text, audience="parents")


@pytest.mark.parametrize("text", [
    # a list of questions, no answer under the heading
    "How is standards-referenced grading scored?\nWhen do report cards go home?",
    # a yes-or-no question answered with an opinion explains nothing
    "Is standards-referenced grading right for my child?\nWe think so.",
    # an answer on the same line is the older rule's: it must use the term
    "How is standards-referenced grading scored? It is new this year.",
])
def test_other_questions_about_a_term_do_not_explain_it(checker: Checker, text: str) -> None:
    assert "family-jargon" in rules_in(checker, text, audience="parents")


@pytest.mark.parametrize("text", [
    # a name with small joining words inside it (session 11)
    "Last spring our principal spoke at the Growing a Culture of Innovation Forum.",
    "Grants come from the Office of Innovation and Improvement each year.",
])
def test_a_name_with_joining_words_is_a_name(checker: Checker, text: str) -> None:
    assert "fad-framing" not in rules_in(checker, text, audience="parents")


@pytest.mark.parametrize(("text", "flagged"), [
    # a slogan line ending with "!" is a heading: its capitals say nothing of a name
    ("Welcome Back!\n\nReimagining the Student Experience!\n\nWe begin in May.", True),
    # running text still reads a capitalized name as a name
    ("Our team spoke at the Culture of Innovation Forum last May.", False),
    # a name needs capitals at both ends
    ("The board praised a culture of Innovation in May.", True),
])
def test_a_slogan_line_is_a_heading_not_a_name(checker: Checker, text: str, flagged: bool
                                               ) -> None:
    found = rules_in(checker, text, audience="parents")
    assert bool({"dramatically-rethink", "fad-framing"} & set(found)) == flagged


def test_a_term_inside_a_capitalized_name_is_the_name(checker: Checker) -> None:
    # the term is part of a handbook's title: capitalized words run on around it
    text = "(Adapted from the Lakeview High School Standards-Referenced Grading Pilot Handbook.)"
    assert "family-jargon" not in rules_in(checker, text, audience="parents")
    # the term in capitals on its own is still the term
    assert "family-jargon" in rules_in(
        checker, "Our school is moving to Standards-Referenced Grading this year.",
        audience="parents")


@pytest.mark.parametrize(("text", "flagged"), [
    ("Traditional grades do not tell families which skills a child has learned.", True),
    ("Old grading practices often punish students for turning work in late.", True),
    ("Letter grades give only limited information about what was learned.", True),
    # a report card that leaves letter grades out knocks nothing
    ("The new report card does not show letter grades.", False),
    ("Letter grades do not show up on the elementary report card.", False),
])
def test_knocking_traditional_grades_is_knocking_schools(
        checker: Checker, text: str, flagged: bool) -> None:
    assert ("knocking-schools" in rules_in(checker, text, audience="parents")) == flagged


def test_a_state_curriculum_is_not_a_mandate_of_the_approach(checker: Checker) -> None:
    text = "Each unit's goals are drawn from the state-mandated curriculum."
    assert "mandate-language" not in rules_in(checker, text, audience="parents")


def test_a_list_of_semicolon_items_and_its_lead_in_are_sentences_of_their_own() -> None:
    text = ("Every high school progress report this year will list these things:\n"
            "a mark for every course, shown as a level and as a percentage;\n"
            "a teacher's comments;\n"
            "days absent; and\n"
            "the goals each student set.")
    assert sentence_words(text) == [11, 13, 3, 3, 5]
    # a resolution's recitals stay one sentence with what they resolve
    recitals = ("WHEREAS the district studied mastery-based schools in three states for a year;\n"
                "WHEREAS families and teachers were asked what they thought of the plan;\n"
                "NOW, THEREFORE, BE IT RESOLVED that the board supports it.")
    assert len(sentence_words(recitals)) == 1
    # a colon line over prose that is not a list still runs on
    assert sentence_words("Families told us:\nthe new report card is clearer.") == [9]


def test_etc_before_a_capital_ends_its_sentence() -> None:
    assert sentence_words("Bring pens, paper, etc. The class starts at noon.") == [4, 5]
    assert sentence_words("Bring pens, paper, etc. for every class.") == [7]


@pytest.mark.parametrize(("text", "rule", "words"), [
    ("Mastery learning is being embraced by schools across the region in different ways "
     "and to different degrees.", "embraced-differently",
     "embraced by schools across the region in different ways and to different degrees"),
    ("Good teachers leverage their bonds with pupils to elicit higher levels of performance.",
     "leverage-relationships",
     "leverage their bonds with pupils to elicit higher levels of performance"),
])
def test_one_rule_flags_a_sentence_once(checker: Checker, text: str, rule: str,
                                        words: str) -> None:
    # two matches of one rule in one sentence are one weak phrase: one flag over both,
    # whose replacements (they fit neither part alone) are advice
    flags = [f for f in checker.check(text, audience="parents").flags if f.rule == rule]
    assert [f.text for f in flags] == [words]
    assert not flags[0].replacements


def test_one_rule_in_two_sentences_is_flagged_twice(checker: Checker) -> None:
    text = ("The approach is being embraced by schools in our region. "
            "It grows to different degrees in each town.")
    flags = [f for f in checker.check(text, audience="parents").flags
             if f.rule == "embraced-differently"]
    assert len(flags) == 2


def test_the_same_wording_twice_in_a_sentence_is_two_flags(checker: Checker) -> None:
    # each "rigorous" can be replaced on its own: they are not merged into one flag
    flags = [f for f in checker.check("Our rigorous coursework sets rigorous goals.",
                                      audience="parents").flags if f.rule == "rigorous"]
    assert [f.text for f in flags] == ["rigorous", "rigorous"]
    assert all(f.replacements for f in flags)


@pytest.mark.parametrize("text", [
    "Issued by the Office of Innovative Learning Programs",
    "Contact the Center for Innovative Learning at the state department.",
])
def test_an_organization_name_is_a_name_even_on_a_heading_line(checker: Checker,
                                                               text: str) -> None:
    assert "fad-framing" not in rules_in(checker, text, audience="school-leaders")


def test_a_heading_that_calls_the_approach_innovative_is_still_flagged(checker: Checker) -> None:
    assert "fad-framing" in rules_in(checker, "Innovative Learning for All Students",
                                     audience="school-leaders")


def test_the_writer_describing_it_is_not_reported_speech(checker: Checker) -> None:
    report = checker.check("We describe the program as an innovative way to move on.",
                           audience="parents")
    assert [f.quoted for f in report.flags if f.rule == "fad-framing"] == [False]


def test_a_body_describing_its_own_program_is_not_reported_speech(checker: Checker) -> None:
    report = checker.check("The department describes the approach as a cutting-edge model.",
                           audience="reporters")
    assert [f.quoted for f in report.flags if f.rule == "fad-framing"] == [False]


# ------------------------------------------------------------------ session 13
def test_a_worry_repeated_in_one_sentence_is_one_flag(checker: Checker) -> None:
    # a rule whose suggestions are all advice: one finding per sentence, over every part
    text = "You choose your own goals, pick your own projects and set your own deadlines."
    flags = [f for f in checker.check(text, audience="students").flags
             if f.rule == "concern-student-maturity"]
    assert len(flags) == 1
    assert flags[0].text.startswith("choose your own goals")
    assert flags[0].text.endswith("set your own deadlines")


@pytest.mark.parametrize("text", [
    "Several parents raised concerns on social media that the change is an experiment.",
    "Two fathers voiced concerns at Monday's meeting that it was an experiment.",
])
def test_a_worry_aired_somewhere_that_is_reported_speech(checker: Checker, text: str) -> None:
    report = checker.check(text, audience="reporters")
    flags = [f for f in report.flags if f.rule == "concern-too-experimental"]
    assert flags and all(f.quoted for f in flags)


def test_a_topic_named_in_the_writers_words_is_not_reported_speech(checker: Checker) -> None:
    report = checker.check("Parents voiced opposition to an experiment in the district.",
                           audience="reporters")
    assert [f.quoted for f in report.flags if f.rule == "concern-too-experimental"] == [False]


def test_a_which_clause_that_says_what_it_does_explains_the_term(checker: Checker) -> None:
    text = ("The school will apply for a seat-time waiver, which lets it give credit for what "
            "a student has learned.")
    assert "family-jargon" not in rules_in(checker, text)
    assert "family-jargon" in rules_in(checker, "The school will apply for a seat-time waiver.")


@pytest.mark.parametrize("text", [
    "One mother told the board on Monday that the change is an experiment on kids.",
    "The superintendent told reporters the change is an experiment on kids.",
    "A teacher told me the change is an experiment on kids.",
    # session 26: people telling the writer, without "that"
    "Teachers tell us the change is an experiment on kids.",
    "Several parents tell me the change is an experiment on kids.",
])
def test_what_someone_told_others_is_reported_speech(checker: Checker, text: str) -> None:
    flags = [f for f in checker.check(text, audience="reporters").flags
             if f.rule == "concern-too-experimental"]
    assert flags and all(f.quoted for f in flags)


@pytest.mark.parametrize("text", [
    "The old report card told us almost nothing and sorted kids into winners and losers.",
    "The report card tells you whether the change is an experiment on kids.",
    "Standards-based grades tell us whether the change is an experiment on kids.",
])
def test_what_a_report_card_tells_is_the_writers_sentence(checker: Checker, text: str) -> None:
    flags = [f for f in checker.check(text, audience="reporters").flags
             if f.rule in ("knocking-schools", "concern-too-experimental")]
    assert flags and not any(f.quoted for f in flags)


# -------------------------------------------------- session 14: audits at real pages' density
def test_one_size_fits_all_for_the_old_system_is_knocking_not_mandate(checker: Checker) -> None:
    # the first wave read it as mandate language (wrong); every labeller of the session-14
    # audits read it as knocking today's schools (a suggestion), unless it is denied
    text = "The traditional one-size-fits-all model did not serve every student."
    assert rules_in(checker, text) == ["knocking-schools"]
    assert rules_in(checker, "Competency-based learning is not a one-size-fits-all approach.") == []


def test_a_letter_grade_after_a_lower_case_word_ends_its_sentence() -> None:
    assert sentence_words("We study just enough for a low A. It's late, but we go on.") == [8, 6]
    assert sentence_words("The letter was signed by Dana A. Smith of the board.") == [11]
    assert sentence_words("We went with plan B. It worked.") == [5, 2]


@pytest.mark.parametrize("text", [
    "Students may earn credit for learning done outside the classroom, such as internships.",
    "Parents ask for a bigger voice in the grading overhaul.",
    "Will this lower the rigor of classroom instruction?\nNo. The grading system does not "
    "change what is taught.",
    "A participating district shall describe how it will collect and report student progress "
    "data.",
    "This page tracks each step in our move to the new report card.",
])
def test_session14_false_flag_classes_pass(checker: Checker, text: str) -> None:
    assert rules_in(checker, text) == []


@pytest.mark.parametrize(("text", "rule"), [
    ("Rather than a one-size-fits-all approach, each student gets help.", "knocking-schools"),
    ("It only mandates that students show proficiency in the required areas.",
     "mandate-language"),
    ("You show proficiency in each subject and in transferable skills.", "family-jargon"),
    ("A Personalized Learning Plan (PLP) is part of every diploma.", "family-jargon"),
    # session 15
    ("CBE can require a rethinking of the traditional school day and year.", "reorganizes-time"),
    ("Districts follow new state guidelines, which mandate students prove what they know.",
     "mandate-language"),
    ("It is required by the state of Vermont.", "mandate-language"),
    ("In every classroom, students get instruction that is differentiated.", "family-jargon"),
    ("PACE is a first-in-the-nation accountability strategy.", "fad-framing"),
    ("The district began efforts to tailor education to the unique needs of each student.",
     "concern-unrealistic"),
    ("It is one of the newer trends sweeping the nation's schools.", "fad-framing"),
    ("The old system was built to separate students into categories.", "knocking-schools"),
    # session 16
    ("High school is broken, and employers are the ones paying for it.", "knocking-schools"),
    ("Schools with the waiver set aside the hours-per-credit rule.", "reorganizes-time"),
    ("Our pilot lifts the limits of seat time for every student.", "reorganizes-time"),
    ("The act requires every school district that operates a high school to adopt a credit "
     "policy.", "mandate-language"),
])
def test_real_text_miss_classes_are_caught(checker: Checker, text: str, rule: str) -> None:
    # sessions 14 and 15: misses found on real-density audits and real pages
    assert rule in rules_in(checker, text)


def test_examples_after_a_term_explain_it_for_reporters(checker: Checker) -> None:
    explained = "Students complete performance tasks, such as projects and presentations."
    assert "reporter-jargon" not in rules_in(checker, explained, audience="reporters")
    bare = "Students complete performance tasks every term."
    assert "reporter-jargon" in rules_in(checker, bare, audience="reporters")


def test_a_line_break_after_a_single_capital_ends_the_sentence() -> None:
    text = ("Awards went to Carver 300 and Saint Marie R-I.\n"
            "In competency-based education, students move ahead.")
    assert sentence_words(text) == [9, 6]
    assert sentence_words("The guide was written by Dana A. Smith last year.") == [10]


@pytest.mark.parametrize(("text", "audience"), [
    ("The grading standards are taking a complete change this year.", "students"),
    ("Moving to such a model calls for fundamental changes in how credit is awarded.",
     "legislators"),
    ("The 2012 law was one of the first in the nation.", "parents"),
    ("The states at the forefront of this work are Iowa and New Hampshire.", "school-leaders"),
    ("Skip ahead to see the trending topics.", "legislators"),
    ("The bill mandates OSPI to adopt rules for enrollment.", "legislators"),
    # (session 15: "rather than", so that the reported speech, not a negation, clears it)
    ("They stressed the need for a tailored approach rather than a one-size-fits-all "
     "solution.", "parents"),
    ("The model drops seat time in favor of a personalized path.", "school-leaders"),
    ("The course gets students ready for the rigors of college.", "reporters"),
    ("Teachers spend more time in brief, data-driven conferences.", "parents"),
    ("Graduates need these skills to thrive in an ever-changing world.", "parents"),
    ("A creator generates innovative ideas, takes risks, experimenting and exploring.",
     "parents"),
    ("School leaders acknowledge that redesigning education takes time.", "parents"),
    ("Principals agree that top-down management does not work well.", "school-leaders"),
    ("Standards-based report cards are a national trend gaining momentum.", "legislators"),
    # session 15
    ("At the end of each term, teachers have to convert the scores into letter grades.",
     "parents"),
    ("Each grade level is taught per state mandated standards of learning.", "parents"),
    ("Students develop the skills and innovative thinking needed for success.", "reporters"),
    ("Still, the state did not push districts to drop seat-time requirements, said a "
     "director at the state education department.", "parents"),
    ("The model looks past seat time, the hours a student logs in a classroom, so "
     "that work at a job site counts.", "reporters"),
    ("Riverbend is moving to a standards-referenced grading system. In place of percentages, "
     "your child gets a score from 0 to 4.", "parents"),
    ("Plan flexible timelines or structures for students who need reteaching.", "teachers"),
    ("This is a standards-referenced grading system. Your academic grade will be based on what "
     "you show on each skill.", "students"),
    # session 16
    ("Every course uses standards-referenced grading. In standards-referenced grading, your "
     "grade shows "
     "how well you learned each skill.", "students"),
    ("The review found that grading can look quite different from one classroom to the next.",
     "parents"),
    ("In second grade, students pick from a playlist of reading and math activities.",
     "parents"),
    ("The plan grew from the bottom up rather than the top down.", "parents"),
])
def test_real_page_false_flag_classes_pass(
    checker: Checker, text: str, audience: str
) -> None:
    # classes of wrong flags found by judging every flag on real pages (sessions 14 and 15;
    # texts kept out of the repository); each sentence is our own, in the shape of one flag
    flags = checker.check(text, audience=audience).flags
    assert [f.rule for f in flags if not f.quoted and f.rule != "long-sentence"] == []


def test_a_term_whose_acronym_is_explained_is_explained(checker: Checker) -> None:
    explained = ("Our school uses standards-referenced grading (SBG). SBG is an approach where "
                 "each "
                 "mark shows how well your child knows one skill.")
    assert "family-jargon" not in rules_in(checker, explained)
    # the acronym named again without saying what it is explains nothing
    bare = ("Our school uses standards-referenced grading (SBG) this year. Families can ask about "
            "SBG at conferences.")
    assert "family-jargon" in rules_in(checker, bare)


def test_a_speaker_after_said_reports_the_words_before_it(checker: Checker) -> None:
    reported = ("Schools must adopt the new grading system, said a director at the state "
                "department.")
    assert rules_in(checker, reported) == []
    flags = checker.check(reported, audience="parents").flags
    assert [f.quoted for f in flags if f.rule == "mandate-language"] == [True]
    # a clause after the speaker is not a speaker's name: the writer's words stand
    own = "Schools must adopt the new grading system, said the report that we read."
    assert "mandate-language" in rules_in(checker, own)


@pytest.mark.parametrize("text", [
    "Family SBRC Presentation\n\nSee you at conferences.",
    "VUHS Proficiency Indicators and Learning Expectations\n\nSee the scale below.",
    "Family Performance Indicators Presentation\n\nSee you at conferences.",
])
def test_a_documents_title_on_its_own_line_is_a_name(checker: Checker, text: str) -> None:
    assert "family-jargon" not in rules_in(checker, text)


def test_a_term_in_a_heading_without_a_document_word_is_still_the_term(checker: Checker) -> None:
    assert "family-jargon" in rules_in(
        checker, "Family Performance Indicators\n\nSee you at conferences.")


# -------------------------------------------------- session 18: audits h3-h4 and real pages
@pytest.mark.parametrize("text", [
    "According to Senator Reyes, competency-based education revolutionizes learning.",
    "The model is revolutionary, according to the senator who wrote the bill.",
])
def test_what_a_sentence_attributes_with_according_to_is_reported(checker: Checker,
                                                                 text: str) -> None:
    report = checker.check(text, audience="legislators")
    assert [f.rule for f in report.counted if f.rule != "long-sentence"] == []
    assert any(f.quoted and f.rule == "fad-framing" for f in report.flags)


def test_according_to_reports_only_its_own_sentence(checker: Checker) -> None:
    # the writer's sentence before it, and one without the comma, stay the writer's
    text = "Our model is revolutionary. According to the survey, parents like it."
    assert rules_in(checker, text, audience="legislators") == ["fad-framing"]
    text = "According to the plan the new model is revolutionary."
    assert rules_in(checker, text, audience="legislators") == ["fad-framing"]


@pytest.mark.parametrize("text", [
    "Report cards show where each student stands. Standards-referenced report cards are new.",
    "- Report cards show where each student stands\n- Standards-referenced report cards "
    "start this fall",
])
def test_a_bare_plural_saying_what_report_cards_do_explains_them(checker: Checker,
                                                                  text: str) -> None:
    # (reporters: for families "standards-referenced report card" is not jargon since
    # session 20, a report card says what it is)
    assert "reporter-jargon" not in rules_in(checker, text, audience="reporters")
    # said mid-sentence, after someone else's words, it explains nothing
    assert "reporter-jargon" in rules_in(
        checker, "Standards-referenced report cards are new. Kids say report cards show "
        "little.", audience="reporters")


def test_a_standards_based_report_card_is_not_family_jargon(checker: Checker) -> None:
    text = "Your child will bring home a standards-referenced report card in October."
    assert "family-jargon" not in rules_in(checker, text, audience="parents")
    assert "family-jargon" in rules_in(
        checker, "Teachers now use standards-referenced grading.", audience="parents")


# ------------------------------------------------------------ session 20 (audits j1, j2)
def test_a_statement_before_a_quoted_question_is_not_a_question(checker: Checker) -> None:
    text = ('- The board asks middle schools to become more rigorous; schools start asking, '
            '"What standard do we expect?"')
    assert "rigorous" in rules_in(checker, text, "parents")
    # the reader's worry, asked as a question, still is not the writer's word
    assert "rigorous" not in rules_in(checker, "Will this make classes less rigorous?", "parents")


def test_a_citation_in_brackets_does_not_explain_a_term(checker: Checker) -> None:
    cited = "Teachers balance formative and summative assessments (assessment research, 2004-2010)."
    assert "family-jargon" in rules_in(checker, cited, "parents")
    assert "family-jargon" in rules_in(
        checker, "Teachers use summative assessments (Lee et al.).", "parents")
    glossed = "Teachers use summative assessments (tests at the end of a unit)."
    assert "family-jargon" not in rules_in(checker, glossed, "parents")


def test_a_name_used_in_running_text_is_a_name_in_its_headings_too(checker: Checker) -> None:
    text = ("Waivers for Innovative Programs\nThe state accepts applications from Alternative "
            "Education and Innovative Programs that plan to run next year.\n\n"
            "Innovative Programs\n- Application for Innovative Program Waiver")
    assert "fad-framing" not in rules_in(checker, text, "school-leaders")
    # a heading alone is the writer's own wording, and so is the phrase in lower case
    text = "Innovative Programs\nOur innovative programs help every child."
    assert rules_in(checker, text, "parents").count("fad-framing") == 2


def test_people_say_reports_their_words_but_we_say_is_the_writers(checker: Checker) -> None:
    reported = "Administrators say the new system does mean more paperwork for teachers."
    flags = checker.check(reported, audience="teachers").flags
    assert [f.quoted for f in flags if f.rule == "concern-teacher-time"] == [True]
    for own in ("We say the new system means more paperwork for teachers.",
                "Needless to say, the new system means more paperwork for teachers."):
        flags = checker.check(own, audience="teachers").flags
        assert [f.quoted for f in flags if f.rule == "concern-teacher-time"] == [False], own


def test_what_the_writer_told_someone_or_believes_is_the_writers_own(checker: Checker) -> None:
    """Session 21 (an opinion column): "when I told her that the newest trend in education
    is …" was skipped as reported speech; the writer telling is the writer's claim."""
    for own in ("That was her reply when I told her that the newest trend in education is "
                "mastery grading.",
                "We believe that the newest trend in education is mastery grading."):
        flags = checker.check(own, audience="parents").flags
        assert [f.quoted for f in flags if f.rule == "fad-framing"] == [False], own
    for reported in ("The principal told her that the newest trend in education is mastery "
                     "grading.",
                     "Critics argue that the newest trend in education is mastery grading."):
        flags = checker.check(reported, audience="parents").flags
        assert [f.quoted for f in flags if f.rule == "fad-framing"] == [True], reported


@pytest.mark.parametrize("text", [
    "# Welcome\n\nRigorous classes start Monday.",
    "# Welcome Back\n\nRigorous classes start Monday.",
    "<h2>Welcome Back</h2>\n<p>Rigorous classes start Monday.</p>",
    "| Change | When |\n| --- | --- |\n| Rigorous work | May |",
])
def test_a_word_opening_the_line_after_a_heading_is_not_part_of_a_name(
        checker: Checker, text: str) -> None:
    """A new user's review (session 21): "Rigorous" opening the paragraph under a Markdown
    heading or a table's header row was read as the end of a name running on from the line
    above, and never flagged."""
    assert rules_in(checker, text, "parents") == ["rigorous"]
    assert "rigorous" not in rules_in(checker, "We visited Lake Rigorous Academy.", "parents")


def test_what_the_writer_has_said_is_the_writers_own(checker: Checker) -> None:
    """Session 22 (a principal's update): "As we have said before, standards-based reporting
    exists to …" was read as someone else's speech, so the writer's jargon went uncounted
    ("standards-based reporting" is explained by what it exists to do)."""
    own = ("As we have said before, standards-based reporting exists to show how a student "
           "grows on each of the learning targets.")
    flags = checker.check(own, audience="parents").flags
    assert [(f.text, f.quoted) for f in flags if f.rule == "family-jargon"] == [
        ("learning targets", False)]
    reported = "Parents have said the learning targets are confusing."
    flags = checker.check(reported, audience="parents").flags
    assert [f.quoted for f in flags if f.rule == "family-jargon"] == [True]


def test_an_acronym_and_its_plural_are_one_term(checker: Checker) -> None:
    """Session 22: "the SBRCs" was not jargon and the later "SBRC" was flagged instead."""
    text = "Please sign the SBRCs online.\n\nSBRC guide for families.pdf"
    flags = [f for f in checker.check(text, audience="parents").flags
             if f.rule == "family-jargon"]
    assert [f.text for f in flags] == ["SBRCs"]


def test_a_plural_jargon_noun_glossed_in_brackets_explains_the_term(checker: Checker) -> None:
    """Session 22 (a grading page): "Assessments (summatives)" glosses the term, so "Final
    summative assessments" later is not flagged; unexplained, "summatives" is."""
    glossed = ("Assessments (summatives) check proficiency. Final summative assessments "
               "cannot be retaken.")
    assert "family-jargon" not in rules_in(checker, glossed)
    assert rules_in(checker, "Summatives count for 75 percent of the grade.") == [
        "family-jargon"]


@pytest.mark.parametrize(("text", "rule"), [
    ("These grading practices have not been properly researched.", "concern-too-experimental"),
    ("The plan is not yet supported by peer-reviewed research.", "concern-too-experimental"),
    ("The grant pays for a rethinking of our classrooms.", "dramatically-rethink"),
    ("We must rethink the public K-12 education system.", "dramatically-rethink"),
    ("The board asked leaders to fund training and to reimagine grading.",
     "dramatically-rethink"),
    ("Maine followed Rhode Island in mandating a proficiency-based system.",
     "mandate-language"),
])
def test_session_22_miss_classes_are_caught(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text, "parents")


@pytest.mark.parametrize("text", [
    "Students who have not studied the unit may retake it.",
    "Most students have not been tested on this standard yet.",
])
def test_session_22_near_misses_pass(checker: Checker, text: str) -> None:
    assert not {"concern-too-experimental", "dramatically-rethink"} & set(
        rules_in(checker, text, "parents"))


@pytest.mark.parametrize("text", [
    # session 23, news stories and a letter: the grading is described in plain words
    "GCSD moves to standards-referenced grading\n\nThis fall students are scored from 0 to 4 on "
    "each learning standard, and the scores become a letter grade.",
    "Standards-referenced grading arrives at Westfield. Instead of points, each test is now "
    "scored from 1 to 4 on each skill.",
    "The plan moves grades 6 to 12 to proficiency-based grading. Students will be measured "
    "against a set of standards in every course.",
    "This fall our high school finishes its move to competency-based grading. Your child's "
    "grade shows how well they have met each course competency.",
])
def test_grading_described_in_plain_words_explains_its_name(checker: Checker, text: str
                                                            ) -> None:
    assert "family-jargon" not in rules_in(checker, text, "parents")


@pytest.mark.parametrize("text", [
    "Our middle schools move to standards-referenced grading next fall. Bring your questions "
    "to the family night.",
    # a score mentioned without saying what it is given for explains nothing
    "Standards-referenced grading starts in January. Students can see each score online.",
])
def test_grading_named_but_not_described_is_still_jargon(checker: Checker, text: str
                                                         ) -> None:
    assert "family-jargon" in rules_in(checker, text, "parents")


@pytest.mark.parametrize("text", [
    "The 2012 measure requires high schools to award diplomas on proficiency.",
    "Vermont and Maine have passed laws requiring school districts to phase it in.",
])
def test_session_23_requirements_on_schools_are_mandate_language(checker: Checker, text: str
                                                                 ) -> None:
    assert "mandate-language" in rules_in(checker, text, "parents")



def test_a_roman_numeral_after_phase_ends_its_sentence() -> None:
    """Session 23 (a foundation's press release): "… are starting Phase I. Funding for …"
    read "I." as a name's initial and counted two sentences as one long one."""
    text = ("Two districts are entering Phase II, while three are starting Phase I. Funding "
            "for the last two is on hold until spring.")
    assert sentence_words(text) == [12, 10]
    assert sentence_words("Title I. Schools that qualify get more money.") == [2, 6]
    assert sentence_words("The plan was drafted by Dana I. Smith and the board.") == [11]


@pytest.mark.parametrize(("text", "rule"), [
    ("As with many educational experiments, there were bumps and doubters.",
     "concern-too-experimental"),
    ("We were frustrated by this fuzzy mandate handed down from the capital.",
     "mandate-language"),
    ("They got no help from the people who imposed this new mandate.", "mandate-language"),
    ("All over the country, people are working to remodel our education system.",
     "dramatically-rethink"),
    ("Every grantee is transforming its school system.", "organizational-changes"),
])
def test_session_23_miss_classes_are_caught(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text, "parents")


@pytest.mark.parametrize("text", [
    "Students present a set of experiments built around one central problem.",
    "Science experiments fill the fourth-grade day.",
])
def test_experiments_in_class_are_not_the_experimental_worry(checker: Checker, text: str
                                                             ) -> None:
    assert "concern-too-experimental" not in rules_in(checker, text, "parents")


# ------------------------------------------------- session 24: fresh audits o1 and o2
def test_jargon_the_text_keeps_coming_back_to_is_its_subject(checker: Checker) -> None:
    # the page's subject: a heading and two paragraphs about it
    subject = ("Standards-Referenced Grading at Lakeview\n\n"
               "This fall our middle school moves to standards-referenced grading.\n\n"
               "Report cards will list each skill. With standards-referenced grading, homework "
               "habits are reported on their own.\n")
    assert "family-jargon" not in rules_in(checker, subject)
    # named once, or twice, it is still jargon dropped on the reader
    twice = ("This fall our middle school moves to standards-referenced grading.\n\n"
             "Families will hear more about standards-referenced grading at the open house.\n")
    assert rules_in(checker, twice) == ["family-jargon"]
    # three times on one line is not a subject the text develops
    one_line = ("Teachers give formative tests, formative checks and look at formative data.")
    assert rules_in(checker, one_line) == ["family-jargon"]


@pytest.mark.parametrize(("text", "rule"), [
    ("Rather than a statewide mandate, the 2015 law invited schools to volunteer.",
     "mandate-language"),
    ("Why it matters: The policy changes how every student will qualify for a diploma.",
     "organizational-changes"),
    ("Each number shows how a student is doing on one learning target inside a subject, such "
     "as adding fractions in math.", "family-jargon"),
])
def test_senses_real_pages_use_are_not_flagged(checker: Checker, text: str, rule: str) -> None:
    assert rule not in rules_in(checker, text)


@pytest.mark.parametrize(("text", "rule"), [
    ("A growing number of Wisconsin districts have made the same switch.",
     "embraced-differently"),
    ("The pilots are a chance to rethink the whole K-12 system.", "dramatically-rethink"),
    ("We have started rethinking how we do school.", "dramatically-rethink"),
    ("The project began as a groundbreaking collaboration between the department and "
     "districts.", "fad-framing"),
])
def test_wordings_real_pages_use_are_flagged(checker: Checker, text: str, rule: str) -> None:
    assert rule in rules_in(checker, text)


def test_short_list_lines_without_bullets_are_sentences_of_their_own() -> None:
    # a cheat sheet: lines without full stops, one ending in a per cent sign
    sheet = ("In the gradebook, summatives count for 90% of your grade and formatives for 10%\n"
             "If you try something, the lowest score you can get is 5 out of 10\n")
    assert sentence_words(sheet) == [14, 15]
    # a lead-in ending in a colon, then short lower-case conditions
    conditions = ("You may reassess any summative if:\n"
                  "every formative for it is done\n"
                  "you fill out the form within a week\n"
                  "a parent signs the form\n")
    assert sentence_words(conditions) == [6, 6, 8, 5]
    # hard-wrapped prose still runs on: a long line, or a line ending on a word like "the"
    wrapped = ("Our teachers spent the summer writing scales for every course so that\n"
               "students know what each level means before the first unit begins.")
    assert sentence_words(wrapped) == [23]
    assert sentence_words("Students will meet with the\nteacher each week to set goals.") == [11]


def test_a_greeting_to_our_families_is_its_own_sentence() -> None:
    text = ("To our parents and guardians,\n"
            "What we now understand about how students learn has changed how we grade.")
    assert sentence_words(text) == [5, 13]
