"""The one core object (bot.core.engines.Core): engines built once, shared by the HTTP API,
the Slack app served beside it, the CLI and the drafter."""

from __future__ import annotations

import threading
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from bot.cli.common import CliState
from bot.core.engines import Core
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
    assert drafting.ENGINES.checker(toolkit) is core.checker


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


def test_the_checker_reads_only_the_inputs_it_declares(toolkit: Toolkit) -> None:
    """The on-disk cache is keyed on Checker.INPUTS: a checker built without every other
    kind of content must be the same checker."""
    import dataclasses
    from types import MappingProxyType

    from messaging.checker import Checker
    from toolkit.layout import FOLDERS, LIST_FILES

    others = (set(LIST_FILES) | set(FOLDERS)) - set(Checker.INPUTS)
    assert others and set(Checker.INPUTS) < set(LIST_FILES) | set(FOLDERS)
    bare = dataclasses.replace(toolkit, **{kind: MappingProxyType({}) for kind in others})
    assert Checker.from_toolkit(bare).to_data() == Checker.from_toolkit(toolkit).to_data()
    emptied = dataclasses.replace(toolkit, rules=MappingProxyType({}))
    assert Checker.from_toolkit(emptied).to_data() != Checker.from_toolkit(toolkit).to_data()


def test_the_cache_key_follows_the_declared_inputs(tmp_path: Path) -> None:
    import os
    import shutil

    from messaging.cache import fingerprint
    from toolkit import default_toolkit_path

    root = tmp_path / "kit"
    shutil.copytree(default_toolkit_path(), root)
    key = fingerprint(root, [])

    def touch(name: str) -> None:
        path = root / name
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))

    touch("faq.yaml")  # not an input of the checker
    assert fingerprint(root, []) == key
    for name in ("rules.yaml", "audiences.yaml", "templates/email.yaml"):
        touch(name)
        assert fingerprint(root, []) != key, name
        key = fingerprint(root, [])


def test_a_draft_is_named_by_its_templates_title_field(toolkit: Toolkit, tmp_path: Path) -> None:
    from bot.core.drafts import draft_title
    from tests.dbfixtures import backend_client

    template = toolkit.templates["press-release"]
    assert template.title_field == "headline"
    assert draft_title(template, {"headline": "  Cedar\n Valley  "}) == (
        f"{template.title}: Cedar Valley")
    assert draft_title(template, {}) == template.title
    with backend_client("sqlite", tmp_path, toolkit) as client:
        made = client.post("/api/drafts", json={"template": "press-release",
                                                "data": {"headline": "Big news"}})
        assert made.status_code == 201, made.text
        assert made.json()["title"] == f"{template.title}: Big news"


def test_a_title_field_must_be_a_field(tmp_path: Path) -> None:
    import shutil

    from toolkit import ToolkitError, default_toolkit_path, load_toolkit

    root = tmp_path / "kit"
    shutil.copytree(default_toolkit_path(), root)
    path = root / "templates" / "email.yaml"
    path.write_text(path.read_text().replace("title_field: subject", "title_field: nope"))
    try:
        load_toolkit(root)
    except ToolkitError as exc:
        assert "title_field 'nope' is not one of the fields" in str(exc)
        assert "templates/email.yaml:" in str(exc)
    else:
        raise AssertionError("a title_field that is not a field was accepted")
