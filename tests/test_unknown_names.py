"""Named lookups, one error: an unknown audience (template, profile, entry) gets the same
sentence, with "did you mean", from the CLI (exit 2), the HTTP API (422, or 404 for a name
in the address) and Slack — all from toolkit.names.UnknownName."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import cli
from tests.dbfixtures import backend_client
from tests.slack_support import texts_of
from toolkit import Toolkit
from toolkit.names import (
    UnknownName,
    audience_id,
    require_audience,
    require_entry,
    require_profile,
    require_template,
)


def sentence(call: Any) -> str:
    with pytest.raises(UnknownName) as caught:
        call()
    return str(caught.value)


def test_the_sentence_names_the_kind_suggests_and_lists(toolkit: Toolkit) -> None:
    said = sentence(lambda: require_audience(toolkit, "parnets"))
    assert said.startswith("There is no audience 'parnets'. Did you mean 'parents'? Audiences: ")
    for known in toolkit.audiences:
        assert known in said
    # an alias or a name is suggested as the id it stands for
    audience = toolkit.audiences["parents"]
    typo = audience.name.lower()[:-1] + "x"
    assert "Did you mean 'parents'?" in sentence(lambda: require_audience(toolkit, typo))
    assert "Did you mean" not in sentence(lambda: require_audience(toolkit, "zzzzqqq"))
    # a word only loosely like an alias ("martians", "guardians") is no typo of it
    assert "Did you mean" not in sentence(lambda: require_audience(toolkit, "martians"))
    assert sentence(lambda: require_template(toolkit, "pres-release")).startswith(
        "There is no template 'pres-release'. Did you mean 'press-release'?")
    assert sentence(lambda: require_profile(toolkit, "genric")).startswith(
        "There is no profile 'genric'. Did you mean 'generic'?")
    assert sentence(lambda: require_entry(toolkit, "nope")).startswith(
        "There is no FAQ entry or myth 'nope'.")
    assert audience_id(toolkit, "  ") is None
    assert audience_id(toolkit, audience.name.upper()) == "parents"


def test_cli_api_and_slack_say_the_same(toolkit: Toolkit, tmp_path: Path,
                                        slack: Any, mock: Any) -> None:
    expected = sentence(lambda: require_audience(toolkit, "parnets"))

    result = CliRunner().invoke(cli, ["ask", "How are students graded?",
                                      "--audience", "parnets"])
    assert result.exit_code == 2
    assert f"mastery: {expected}" in result.stderr
    result = CliRunner().invoke(cli, ["check", "-", "--audience", "parnets"],
                                input="Our rigorous program.")
    assert result.exit_code == 2 and expected in result.stderr

    with backend_client("sqlite", tmp_path, toolkit) as client:
        for path, body in (("/api/ask", {"question": "How are students graded?"}),
                           ("/api/check", {"text": "Our rigorous program."})):
            response = client.post(path, json={**body, "audience": "parnets"})
            assert response.status_code == 422, response.text
            error = response.json()["error"]
            assert error["message"] == expected
            assert error["path"] == "audience" and error["did_you_mean"] == "parents"
        response = client.get("/api/messages", params={"audience": "parnets"})
        assert response.status_code == 422
        assert response.json()["error"]["message"] == expected
        response = client.get("/api/templates/pres-release")
        assert response.status_code == 404
        assert response.json()["error"]["message"] == sentence(
            lambda: require_template(toolkit, "pres-release"))

    slack.command("messages parnets")
    calls = mock.wait_for("respond", timeout=10)
    assert calls and expected in texts_of(calls[0])


def test_cli_unknown_template_and_profile(toolkit: Toolkit) -> None:
    result = CliRunner().invoke(cli, ["draft", "pres-release", "--example"])
    assert result.exit_code == 2
    assert sentence(lambda: require_template(toolkit, "pres-release")) in result.stderr
