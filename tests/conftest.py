"""Fixtures shared by every test module. Keep module-specific fixtures in their own modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from toolkit import Toolkit, load_toolkit

if TYPE_CHECKING:
    from tests.mock_slack import MockSlack
    from tests.slack_support import SlackHarness


@pytest.fixture(scope="session")
def toolkit() -> Toolkit:
    """The shipped toolkit, loaded and validated once per test run."""
    return load_toolkit()


@pytest.fixture(scope="module")
def slack(tmp_path_factory: pytest.TempPathFactory, toolkit: Toolkit) -> Iterator[SlackHarness]:
    """The real app with its Slack endpoint, served by uvicorn; Slack's Web API is the local
    stand-in of tests/mock_slack.py. One per test module."""
    from tests.slack_support import running_slack

    with running_slack(toolkit, tmp_path_factory.mktemp("slack-data")) as harness:
        yield harness


@pytest.fixture()
def mock(slack: SlackHarness) -> Iterator[MockSlack]:
    """The mock Slack API, emptied before each test (and left quiet after it)."""
    from tests.slack_support import assert_slack_took_everything

    slack.mock.settle(quiet=0.2)
    slack.mock.reset()
    yield slack.mock
    slack.mock.settle(quiet=0.2)
    assert_slack_took_everything(slack.mock)
