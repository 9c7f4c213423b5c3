"""Meta-tests on the template content, completeness reports, and profiles an agency adds."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from messaging import drafting
from toolkit import Toolkit, ToolkitError, default_toolkit_path, load_toolkit

# Names a template uses against its declarations, and its example in every format, are
# checked by the one content validator: tests/test_content_validator.py.


@pytest.mark.parametrize("template_id", sorted(load_toolkit().templates))
def test_every_field_has_a_label_and_required_ones_an_example(toolkit: Toolkit,
                                                              template_id: str) -> None:
    for f in toolkit.templates[template_id].fields:
        assert f.label
        if f.required:
            assert f.example is not None, f"{template_id}.{f.name} needs an example"


def test_pilot_application_covers_every_component(toolkit: Toolkit) -> None:
    template = toolkit.templates["pilot-application"]
    fields = {f.name: f for f in template.fields}
    lists = {name: {s.name for s in f.fields} for name, f in fields.items() if f.type == "list"}
    # repeating groups
    assert {"goal", "measure", "target"} <= lists["goals"]
    assert {"policy", "barrier", "request"} <= lists["flexibility_requests"]
    assert {"group", "name", "evidence"} <= lists["stakeholder_support"]
    assert lists["action_steps"] == {"step", "evidence", "timeline", "coordinator",
                                     "participants", "external_support", "resources"}
    # the design questions for districts, definition, equity, communications, lessons
    for name in ("mastery_definition", "pilot_purpose", "short_term_outcomes",
                 "long_term_outcomes", "learning_targets", "standards_alignment",
                 "progress_checks", "demonstrating_mastery", "progress_tracking",
                 "grading_and_credit", "explaining_the_system", "implementation_plan",
                 "all_students", "subgroups", "milestones", "feedback_loops",
                 "communications_plan", "lessons_learned", "action_goal", "action_rationale",
                 "action_strategy"):
        assert name in fields, name
    # the generic profile covers every field once
    profile = toolkit.profiles["generic"]
    in_profile = [name for s in profile.sections for name in s.fields]
    assert sorted(in_profile) == sorted(set(in_profile))
    assert set(in_profile) >= set(fields) - {"submitted_on", "pilot_start", "pilot_years"}


def test_the_generic_profile_requires_the_common_components(toolkit: Toolkit) -> None:
    required = {s.id for s in toolkit.profiles["generic"].sections if s.required}
    assert {"implementation", "goals", "communications", "support", "definition",
            "equity"} <= required
    assert "flexibility" not in required  # applicants *may* request flexibility


# ------------------------------------------------------------------ completeness
def test_completeness_of_the_example_is_full(toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "pilot-application")
    result = drafting.completeness(toolkit, "pilot-application", data)
    assert result.profile == "generic" and result.complete and result.percent == 100
    assert {s.status for s in result.sections} == {"done"}
    as_dict = result.to_dict()
    assert as_dict["sections"][0]["fields"][0] == "district_name"


def test_completeness_reports_missing_and_thin_sections(toolkit: Toolkit) -> None:
    data = copy.deepcopy(drafting.example_data(toolkit, "pilot-application"))
    del data["communications_plan"], data["outreach"]
    data["implementation_plan"] = "Every classroom takes part from the first day."
    result = drafting.completeness(toolkit, "pilot-application", data)
    status = {s.id: s for s in result.sections}
    assert status["communications"].status == "missing"
    assert status["communications"].words == 0
    assert status["implementation"].status == "thin"
    assert status["implementation"].words == 8
    assert status["implementation"].min_words == 150
    assert not result.complete
    required = [s for s in result.sections if s.required]
    expected = round(100 * (len(required) - 1 - 0.5) / len(required))
    assert result.percent == expected


def test_completeness_of_nothing(toolkit: Toolkit) -> None:
    result = drafting.completeness(toolkit, "pilot-application", {})
    assert result.percent == 0
    assert {s.status for s in result.sections} == {"missing"}


def test_an_untouched_first_row_is_still_missing(toolkit: Toolkit) -> None:
    # the web form shows a first, empty row of a list that needs one: nothing was written
    data = {"goals": [{"goal": "", "measure": None}], "schools": [{}]}
    result = drafting.completeness(toolkit, "pilot-application", data)
    assert {s.status for s in result.sections} == {"missing"}
    data["goals"] = [{"goal": "Every student reads at grade level by grade 3."}]
    status = {s.id: s.status for s in drafting.completeness(
        toolkit, "pilot-application", data).sections}
    assert "missing" in status.values() and set(status.values()) != {"missing"}


def test_a_written_section_counts_the_errors_that_block_a_final_export(
        toolkit: Toolkit) -> None:
    data = drafting.example_data(toolkit, "press-release")
    clean = drafting.completeness(toolkit, "press-release", data)
    assert all(s.errors == 0 for s in clean.sections)
    data = {**data, "details": "word " * 1500, "release_date": "31/12/2026"}
    result = drafting.completeness(toolkit, "press-release", data)
    (section,) = [s for s in result.sections if "details" in s.fields]
    assert section.status == "done" and section.errors >= 1
    assert sum(s.errors for s in result.sections) == 2  # too long, not a date
    assert result.to_dict()["sections"][0]["errors"] == section.errors


def test_completeness_without_a_profile_uses_the_template(toolkit: Toolkit) -> None:
    result = drafting.completeness(toolkit, "action-plan", {"goal": "A goal"})
    assert result.profile is None
    (section,) = result.sections
    assert section.required and section.status == "done" and section.words == 2


# ---------------------------------------------------- an agency's own profile
STATE_PROFILE = """\
id: state-example
name: Example state pilot application
description: A profile an agency writes without code (a test fixture, not a real state).
template: pilot-application
sources: [excelined-2016]
sections:
  - id: implementation
    title: Schoolwide implementation plan
    min_words: 100
    fields: [implementation_plan]
  - id: flexibility
    title: Waivers requested
    required: true
    fields: [flexibility_requests]
  - id: lessons
    title: Sharing lessons learned
    required: true
    min_words: 200
    fields: [lessons_learned]
"""


@pytest.fixture()
def agency_kit(tmp_path: Path) -> Path:
    root = tmp_path / "agency-toolkit"
    shutil.copytree(default_toolkit_path(), root)
    (root / "profiles" / "state-example.yaml").write_text(STATE_PROFILE)
    return root


def test_an_agency_profile_changes_the_required_sections(agency_kit: Path) -> None:
    tk = load_toolkit(agency_kit)
    data = copy.deepcopy(drafting.example_data(tk, "pilot-application"))
    data.pop("flexibility_requests")
    generic = drafting.completeness(tk, "pilot-application", data)
    assert generic.complete
    result = drafting.completeness(tk, "pilot-application", data, profile="state-example")
    assert [s.title for s in result.sections] == [
        "Schoolwide implementation plan", "Waivers requested", "Sharing lessons learned"]
    status = {s.id: s.status for s in result.sections}
    assert status == {"implementation": "done", "flexibility": "missing", "lessons": "thin"}
    problems = drafting.validate(tk, "pilot-application", data, "final", profile="state-example")
    assert [(p.label, p.level) for p in problems if p.code == "section_missing"] == [
        ("Waivers requested", "error")]
    with pytest.raises(drafting.DraftingError):
        drafting.render(tk, "pilot-application", data, "md", profile="state-example")
    # the agency's section titles head the document where the ids match
    doc = drafting.render(tk, "pilot-application", drafting.example_data(tk, "pilot-application"),
                          "md", profile="state-example")
    assert "## Schoolwide implementation plan" in doc.text
    assert "## Waivers requested" in doc.text
    assert "## Requests for flexibility" not in doc.text
    assert "Prepared for: Example state pilot application" in doc.text


def test_an_agency_profile_naming_a_missing_field_is_caught_by_the_loader(
        agency_kit: Path) -> None:
    path = agency_kit / "profiles" / "state-example.yaml"
    path.write_text(STATE_PROFILE.replace("[lessons_learned]", "[lesons_learned]"))
    with pytest.raises(ToolkitError, match="field \\(section lessons\\) 'lesons_learned'"):
        load_toolkit(agency_kit)


def test_a_profile_for_another_template_is_refused(agency_kit: Path) -> None:
    (agency_kit / "profiles" / "plans.yaml").write_text(
        "id: plans\nname: Plans\ndescription: For action plans.\ntemplate: action-plan\n"
        "sources: [gsp-2016]\nsections:\n  - id: goal\n    title: Goal\n    fields: [goal]\n")
    tk = load_toolkit(agency_kit)
    with pytest.raises(drafting.DraftingError, match="'plans' is for the 'action-plan' template"):
        drafting.validate(tk, "pilot-application", {}, "draft", profile="plans")
    result = drafting.completeness(tk, "action-plan", {"goal": "A goal"}, profile="plans")
    assert result.profile == "plans" and result.complete


def test_template_declaration_mistakes_are_caught_by_the_loader(tmp_path: Path) -> None:
    root = tmp_path / "kit"
    shutil.copytree(default_toolkit_path(), root)
    path = root / "templates" / "email.yaml"
    text = path.read_text()
    text = text.replace("    choices: [\"yes\", \"no\"]\n", "", 1)
    text = text.replace("  - name: greeting\n", "  - name: subject\n", 1)
    path.write_text(text)
    with pytest.raises(ToolkitError) as caught:
        load_toolkit(root)
    message = str(caught.value)
    assert "email.yaml" in message
    assert "field names used twice: subject" in message or "needs 'choices'" in message


@pytest.mark.parametrize(("old", "new", "message"), [
    ("          platform: platform\n", "          platform: post_on\n",
     "post.platform 'post_on' is not a choice field beside it"),
    ("          with: [link, hashtags]\n", "          with: [link, hashtag]\n",
     "post.with names hashtag, not fields of the template"),
])
def test_a_post_spec_naming_a_missing_field_is_caught_by_the_loader(
        tmp_path: Path, old: str, new: str, message: str) -> None:
    root = tmp_path / "kit"
    shutil.copytree(default_toolkit_path(), root)
    path = root / "templates" / "social-posts.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(ToolkitError) as caught:
        load_toolkit(root)
    assert "social-posts.yaml" in str(caught.value) and message in str(caught.value)


def test_describe_template_gives_sub_fields(toolkit: Toolkit) -> None:
    info = drafting.describe_template(toolkit, "action-plan")
    steps = next(f for f in info["fields"] if f["name"] == "action_steps")
    assert steps["type"] == "list" and steps["required"] is True
    assert [s["name"] for s in steps["fields"]][:3] == ["step", "evidence", "timeline"]
    pitch = drafting.describe_template(toolkit, "reporter-pitch")
    figures = next(f for f in pitch["fields"] if f["name"] == "proof_points")
    # every figure but those of low confidence, which are not quoted in documents
    assert set(figures["choices"]) == {k for k, p in toolkit.proof_points.items()
                                       if p.confidence != "low"}


@pytest.mark.parametrize(("quote", "by", "role", "line"), [
    ("Are we ready for this?", "Marcus Bell Jr.", None,
     "“Are we ready for this?” said Marcus Bell Jr."),
    ("What a great day for Harlan Creek!", "The superintendent", "Harlan Creek Schools.",
     "“What a great day for Harlan Creek!” said The superintendent, Harlan Creek Schools."),
    ("Every student gets the help they need.", "Marcus Bell Jr.", "superintendent",
     "“Every student gets the help they need,” said Marcus Bell Jr., superintendent."),
])
def test_a_press_release_quote_is_punctuated_as_a_reporter_would(
    toolkit: Toolkit, quote: str, by: str, role: str | None, line: str
) -> None:
    """A review found '…truly learns?,” said', 'said Marcus Bell Jr..' and 'Schools..'."""
    data = {**drafting.example_data(toolkit, "press-release"), "quote": quote,
            "quote_by": by, "quote_role": role}
    text = drafting.render(toolkit, "press-release", data, "md").content.decode()
    assert line in text.replace("\\", ""), text
    assert ".." not in text and "?,”" not in text and "!,”" not in text


def test_one_school_year_is_singular_and_an_impossible_date_is_named(toolkit: Toolkit) -> None:
    data = {**drafting.example_data(toolkit, "pilot-application"), "pilot_years": "1"}
    text = drafting.render(toolkit, "pilot-application", data, "md").content.decode()
    assert "(1 school year)" in text
    data["pilot_years"] = "3"
    assert "(3 school years)" in drafting.render(
        toolkit, "pilot-application", data, "md").content.decode()
    bad = {**drafting.example_data(toolkit, "press-release"), "release_date": "2026-02-30"}
    with pytest.raises(drafting.DraftingError) as info:
        drafting.render(toolkit, "press-release", bad, "md")
    messages = [p.message for p in info.value.problems]
    assert any("not a day in the calendar" in m for m in messages), messages


def test_a_release_tells_about_families_and_a_letter_speaks_to_them(toolkit: Toolkit) -> None:
    """A review (session 21): a press release read "What this means for parents and
    families: - Your child moves ahead …", one for reporters "What this means for reporters
    and media", and a newsletter to teachers "What this means for your child"."""
    release = drafting.example_data(toolkit, "press-release")
    text = drafting.render(toolkit, "press-release", release, "md",
                           audience="parents").content.decode()
    assert "What this means for parents and families:" in text
    assert "- Students move ahead once they show" in text and "your child" not in text.lower()
    text = drafting.render(toolkit, "press-release", release, "md",
                           audience="reporters").content.decode()
    assert "**Key facts:**" in text and "for reporters" not in text
    for audience, heading in (("parents", "What this means for your child"),
                              ("students", "What this means for you"),
                              ("teachers", "What this means for teachers")):
        letter = drafting.example_data(toolkit, "newsletter")
        text = drafting.render(toolkit, "newsletter", letter, "md",
                               audience=audience).content.decode()
        assert f"## {heading}\n" in text, (audience, text)
    email = drafting.example_data(toolkit, "email")
    text = drafting.render(toolkit, "email", email, "md", audience="parents").content.decode()
    assert "What this means for your child:" in text and "parents and families" not in text


def test_a_draft_shows_where_each_missing_part_goes(toolkit: Toolkit) -> None:
    """A review (session 21): an unfinished pilot application printed a required section as
    a bare heading and a missing list as a table of headings alone; a draft now says what is
    to be completed in each."""
    text = drafting.render(toolkit, "pilot-application", {"district_name": "Harlan"}, "md",
                           mode="draft").content.decode().replace("\\", "")
    assert "| [to be completed: Participating schools] |  |  |" in text
    assert "| [to be completed: Annual goals and performance measures] |" in text
    assert "## State standards and every student\n\n[to be completed: State standards" in text
    lines = text.splitlines()
    for k, line in enumerate(lines[:-1]):  # no heading right before another heading
        if line.startswith("## "):
            following = next(x for x in lines[k + 1:] if x.strip())
            assert not following.startswith("## "), line


def test_a_release_names_the_district_and_writes_the_dateline_as_reporters_do(
        toolkit: Toolkit) -> None:
    """A review (session 21): with no "About" paragraph the district's name appeared nowhere
    in the release, and the dateline read "HARLAN CREEK, IOWA" (AP: "HARLAN CREEK, Iowa")."""
    data = {**drafting.example_data(toolkit, "press-release"), "about": None,
            "district_name": "Harlan Creek Community Schools", "city": "Harlan Creek",
            "state": "Iowa"}
    text = drafting.render(toolkit, "press-release", data, "md").content.decode()
    assert "**HARLAN CREEK, Iowa**" in text
    contact = next(line for line in text.splitlines() if line.startswith("**Media contact:**"))
    assert "Harlan Creek Community Schools" in contact
