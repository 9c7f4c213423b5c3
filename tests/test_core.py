"""The one core object (core.engines.Core): engines built once, shared by the HTTP API,
the Slack app served beside it, the CLI and the drafter."""

from __future__ import annotations

import threading
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from bot.cli.common import CliState
from core.engines import Core
from messaging import drafting
from tests.slack_support import make_settings
from toolkit import Toolkit


def test_engines_are_built_once_even_when_asked_at_once(toolkit: Toolkit) -> None:
    core: Core[None] = Core(toolkit, None)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(core.faq)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(engine) for engine in seen}) == 1 and seen[0] is core.faq
    assert core.checker is core.checker
    # the drafter checks its documents with the same checker
    assert drafting._checker(toolkit) is core.checker


def test_the_api_and_its_slack_app_share_one_core(toolkit: Toolkit, tmp_path: Path) -> None:
    from bot.api import create_app
    from bot.slack.http import register
    from bot.store import DraftStore
    from tests.mock_slack import MockSlack
    from tests.slack_support import BOT_TOKEN, SIGNING_SECRET

    mock = MockSlack().start()
    store = DraftStore.open(f"sqlite:///{tmp_path / 'core.db'}")
    try:
        settings = make_settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                 slack_api_url=mock.api_url, data_dir=tmp_path,
                                 secret_key="k")
        app = create_app(settings, toolkit, store=store, extensions=[register])
        api = app.state.services
        slack = app.state.slack_app.services
        assert slack.core is api.core
        assert slack.faq is api.faq() and slack.checker is api.checker()
        assert slack.store is api.store is store
    finally:
        store.close()
        mock.stop()


def test_the_cli_builds_one_core_per_command(toolkit: Toolkit) -> None:
    state = CliState()
    state._toolkit = toolkit
    assert state.core is state.core and state.core.toolkit is toolkit
    result = CliRunner().invoke(cli, ["ask", "How are students graded?"])
    assert result.exit_code == 0
