"""The one draft workflow (bot.core.drafts.save_step): the core on its own, then the same
steps driven through Slack's form and through the HTTP API, with the same results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.drafts import DraftConflict, draft_title, save_step, template_steps
from bot.store import DraftStore
from messaging.drafting import validate
from tests.mock_slack import TEAM_ID
from tests.slack_support import USER
from toolkit import Toolkit

OWNER = f"slack:{TEAM_ID}:{USER}"

#: step 1 ("applicant") of the pilot application, as data
APPLICANT = {
    "district_name": "Riverside Unified",
    "schools": [{"name": "Riverside High", "grades": "9-12", "students": "1200"}],
    "contact_name": "Sam Lee",
    "contact_email": "sam@riverside.example",
}
#: the same values as Slack's form sends them
APPLICANT_SLACK = {
    "f:district_name": {"v": {"type": "plain_text_input", "value": "Riverside Unified"}},
    "f:schools:0:name": {"v": {"type": "plain_text_input", "value": "Riverside High"}},
    "f:schools:0:grades": {"v": {"type": "plain_text_input", "value": "9-12"}},
    "f:schools:0:students": {"v": {"type": "number_input", "value": "1200"}},
    "f:contact_name": {"v": {"type": "plain_text_input", "value": "Sam Lee"}},
    "f:contact_email": {"v": {"type": "email_text_input", "value": "sam@riverside.example"}},
}
DEFINITION = {"mastery_definition": "Students move on when they show they have learned it.",
              "pilot_purpose": "To learn whether students master more skills."}


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[DraftStore]:
    made = DraftStore.open(f"sqlite:///{tmp_path / 'drafts.db'}")
    yield made
    made.close()


def step_fields(toolkit: Toolkit, index: int) -> tuple[str, ...]:
    return template_steps(toolkit.templates["pilot-application"])[index].fields


# ---------------------------------------------------------------- the core
def test_a_partial_step_does_not_fail_on_later_steps(toolkit: Toolkit, store: DraftStore) -> None:
    result = save_step(toolkit, store, "me", "pilot-application", APPLICANT,
                       covered=step_fields(toolkit, 0), step=0, refuse_invalid=True)
    assert result.saved and result.errors == [] and result.mode == "draft"
    assert result.next_step == 1
    # the required fields of later steps are reported, as warnings
    later = [p for p in result.problems if p.path == "mastery_definition"]
    assert later and all(p.level == "warning" for p in later)
    assert result.draft is not None and result.draft.title == "Pilot application: Riverside Unified"
    assert 0 < result.completeness.percent < 100


def test_finishing_validates_final_and_says_what_is_left(toolkit: Toolkit,
                                                         store: DraftStore) -> None:
    first = save_step(toolkit, store, "me", "pilot-application", APPLICANT,
                      covered=step_fields(toolkit, 0), step=0)
    assert first.draft is not None
    steps = template_steps(toolkit.templates["pilot-application"])
    last = len(steps) - 1
    done = save_step(toolkit, store, "me", "pilot-application", {}, draft_id=first.draft.id,
                     base_version=first.draft.version, covered=steps[last].fields, step=last,
                     finish=True)
    assert done.saved and done.mode == "final" and done.next_step is None
    assert not done.finished
    left = {p.path for p in done.problems if p.level == "error"}
    assert "mastery_definition" in left  # a step-2 field, now required
    assert done.data["district_name"] == "Riverside Unified"  # step 1 kept


def test_a_wrong_value_in_the_step_is_refused_or_kept(toolkit: Toolkit,
                                                      store: DraftStore) -> None:
    bad = {**APPLICANT, "contact_email": "not-an-email"}
    refused = save_step(toolkit, store, "me", "pilot-application", bad,
                        covered=step_fields(toolkit, 0), step=0, refuse_invalid=True)
    assert not refused.saved and refused.next_step == 0
    assert [p.path for p in refused.errors] == ["contact_email"]
    assert store.draft_summaries("me") == []
    kept = save_step(toolkit, store, "me", "pilot-application", bad,
                     covered=step_fields(toolkit, 0), step=0)
    assert kept.saved and kept.errors == refused.errors


def test_a_stale_base_version_is_a_conflict(toolkit: Toolkit, store: DraftStore) -> None:
    first = save_step(toolkit, store, "me", "email", {"subject": "One"})
    assert first.draft is not None
    save_step(toolkit, store, "me", "email", {"subject": "Two"}, draft_id=first.draft.id,
              base_version=first.draft.version)
    with pytest.raises(DraftConflict) as caught:
        save_step(toolkit, store, "me", "email", {"subject": "Three"},
                  draft_id=first.draft.id, base_version=first.draft.version)
    assert caught.value.current.data == {"subject": "Two"}
    assert store.get_draft("me", first.draft.id).data == {"subject": "Two"}


def test_the_title_follows_the_title_field_until_someone_names_it(toolkit: Toolkit,
                                                                 store: DraftStore) -> None:
    tpl = toolkit.templates["pilot-application"]
    first = save_step(toolkit, store, "me", tpl.id, {"district_name": "Oak"})
    assert first.draft is not None and first.draft.title == draft_title(tpl, first.data)
    second = save_step(toolkit, store, "me", tpl.id, {"district_name": "Elm"},
                       draft_id=first.draft.id, base_version=first.draft.version)
    assert second.draft is not None and second.draft.title == "Pilot application: Elm"
    named = save_step(toolkit, store, "me", tpl.id, {"district_name": "Elm"},
                      draft_id=first.draft.id, base_version=second.draft.version,
                      title="Our application")
    assert named.draft is not None
    again = save_step(toolkit, store, "me", tpl.id, {"district_name": "Ash"},
                      draft_id=first.draft.id, base_version=named.draft.version)
    assert again.draft is not None and again.draft.title == "Our application"


def test_a_whole_form_save_with_a_title_reads_nothing_first(toolkit: Toolkit,
                                                            store: DraftStore) -> None:
    first = save_step(toolkit, store, "me", "email", {"subject": "One"})
    assert first.draft is not None
    reads: list[str] = []

    class Counting:
        def __getattr__(self, name: str) -> Any:
            if name == "get_draft":
                reads.append(name)
            return getattr(store, name)

    web = save_step(toolkit, Counting(), "me", None, {"subject": "Two", "opening": 5},
                    draft_id=first.draft.id, base_version=first.draft.version, title="Mine")
    assert reads == []  # the web's save: one write, checked as saved
    assert web.draft is not None and web.draft.title == "Mine" and web.template == "email"
    assert [p.path for p in web.errors] == []  # a number is text here: no error
    assert web.problems == validate(toolkit, "email", {"subject": "Two", "opening": 5}, "draft")


# ------------------------------------------------- Slack and the API agree
@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[Any]:
    from tests.dbfixtures import backend_client

    with backend_client("sqlite", tmp_path_factory.mktemp("api-workflow"), toolkit) as client:
        yield client


def open_form(slack: Any, mock: Any, template: str) -> dict[str, Any]:
    slack.command(f"draft {template}")
    call = mock.wait_for("views.open")[0]
    mock.reset()
    view: dict[str, Any] = call.params["view"]
    return view


def as_problems(items: list[Any]) -> list[tuple[str, str, str]]:
    return [(p["path"], p["message"], p["level"]) if isinstance(p, dict)
            else (p.path, p.message, p.level) for p in items]


def test_the_same_steps_through_slack_and_the_api(slack: Any, mock: Any, api: Any,
                                                 toolkit: Toolkit) -> None:
    # step 1 through Slack: saved, the form moves on to step 2
    view = open_form(slack, mock, "pilot-application")
    answer = slack.view_submission(view, APPLICANT_SLACK).json()
    assert answer["response_action"] == "update", answer
    meta = json.loads(answer["view"]["private_metadata"])
    by_slack = slack.store.get_draft(OWNER, meta["d"])
    # the same step through the API
    created = api.post("/api/drafts", json={"template": "pilot-application",
                                            "data": APPLICANT})
    assert created.status_code == 201, created.text
    by_api = created.json()
    assert by_api["data"] == by_slack.data == APPLICANT
    assert by_api["title"] == by_slack.title == "Pilot application: Riverside Unified"
    slack_problems = validate(toolkit, "pilot-application", by_slack.data, "draft",
                              by_slack.profile)
    assert as_problems(by_api["problems"]) == as_problems(slack_problems)

    # step 2 on top of step 1, with the base version, both ways
    step2 = answer["view"]
    values2 = {f"f:{name}": {"v": {"type": "plain_text_input", "value": value}}
               for name, value in DEFINITION.items()}
    answer2 = slack.view_submission(step2, values2).json()
    assert answer2["response_action"] == "update", answer2
    by_slack = slack.store.get_draft(OWNER, meta["d"])
    updated = api.put(f"/api/drafts/{by_api['id']}",
                      json={"base_version": by_api["version"], "data": {**APPLICANT,
                                                                        **DEFINITION}})
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"] == by_slack.data
    assert updated.json()["version"] == by_slack.version == 2
    assert updated.json()["title"] == by_slack.title
    # the same stale base version: a conflict both ways, nothing overwritten
    stale = api.put(f"/api/drafts/{by_api['id']}",
                    json={"base_version": by_api["version"], "data": APPLICANT})
    assert stale.status_code == 409
    answer3 = slack.view_submission(step2, values2).json()
    assert answer3["response_action"] == "update"
    assert "changed somewhere else" in json.dumps(answer3["view"])
    assert slack.store.get_draft(OWNER, meta["d"]).version == 2


def test_a_wrong_value_gets_the_same_message_through_slack_and_the_api(
        slack: Any, mock: Any, api: Any) -> None:
    values = {**APPLICANT_SLACK,
              "f:contact_email": {"v": {"type": "email_text_input", "value": "not-an-email"}}}
    view = open_form(slack, mock, "pilot-application")
    answer = slack.view_submission(view, values).json()
    assert answer["response_action"] == "errors", answer
    created = api.post("/api/drafts", json={"template": "pilot-application",
                                            "data": {**APPLICANT,
                                                     "contact_email": "not-an-email"}})
    assert created.status_code == 201
    errors = [p for p in created.json()["problems"] if p["level"] == "error"]
    assert [p["path"] for p in errors] == ["contact_email"]
    message = errors[0]["message"]
    assert answer["errors"]["f:contact_email"] == message[:1].upper() + message[1:]
