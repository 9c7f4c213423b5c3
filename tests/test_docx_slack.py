"""Word files in Slack: a .docx sent to the bot (or run through "Check wording") comes back
with a short summary and the annotated copy. Signed requests to the real app; Slack's Web
API and file hosting are the local stand-in (tests/mock_slack.py)."""

from __future__ import annotations

import io

import docx

from tests import docx_corpus as corpus
from tests.mock_slack import BOT_ID, TEAM_ID
from tests.slack_support import CHANNEL, USER, texts_of


def file_dm(files: list[dict], **extra):  # type: ignore[no-untyped-def]
    ts = "1700000300.000100"
    return {"type": "message", "subtype": "file_share", "channel_type": "im", "user": USER,
            "text": "", "files": files, "ts": ts, "channel": "D0ALICE001", "event_ts": ts,
            **extra}


def test_a_docx_in_a_dm_gets_a_summary_and_the_annotated_copy(slack, mock):
    shared = mock.share_file("newsletter.docx", corpus.rich_document())
    assert slack.event(file_dm([shared])).status_code == 200
    completed = mock.wait_for("files.completeUploadExternal")[0]
    summary = mock.of("chat.postMessage")[0]
    assert summary.params["channel"] == "D0ALICE001"
    shown = texts_of(summary)
    assert "*newsletter.docx*:" in shown and "warnings" in shown
    # the finding in words, not the rule's id (session 21)
    assert "paragraph 3: \u201crigorous\u201d \u2014 The word" in shown
    download = mock.of("files.download")[0]
    assert download.headers["authorization"].startswith("Bearer xoxb-")
    assert download.response == {"ok": True}
    assert completed.params.get("channel_id") == "D0ALICE001"
    uploaded = mock.uploads[completed.params["files"][0]["id"]]
    comments = list(docx.Document(io.BytesIO(uploaded)).comments)
    assert sum(c.author == "mastery-comms" for c in comments) >= 10
    assert mock.of("files.getUploadURLExternal")[0].params["filename"] == \
        "newsletter-checked.docx"


def test_a_word_file_is_checked_for_the_audience_its_message_names(slack, mock):
    """A review (session 21): "please check this for parents" with a .docx was checked for
    the default audience ("rigorous" a warning, not a parent's error), and a clean document
    still got an uncommented copy."""
    shared = mock.share_file("letter.docx", corpus.from_paragraphs(["Our rigorous plan."]))
    slack.event(file_dm([shared], text="please check this for parents"))
    shown = texts_of(mock.wait_for("chat.postMessage")[0])
    assert "(for Parents and families)" in shown and "1 error" in shown, shown
    mock.wait_for("files.completeUploadExternal")  # its commented copy
    mock.reset()
    clean = mock.share_file("clean.docx", corpus.from_paragraphs(["Students show what they know."]))
    slack.event(file_dm([clean], text="check for school leaders"))
    shown = texts_of(mock.wait_for("chat.postMessage")[0])
    assert "nothing to flag" in shown and "(for School boards and district leaders)" in shown
    import time

    time.sleep(0.5)
    assert not [c for c in mock.of("files.getUploadURLExternal")
                if c.params["filename"] == "clean-checked.docx"]  # no copy of a clean file


def test_a_bad_word_file_gets_a_reason_not_silence(slack, mock):
    old = mock.share_file("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
                          + "WordDocument".encode("utf-16-le"), filetype="doc",
                          mimetype="application/msword")
    slack.event(file_dm([old]))
    reply = mock.wait_for("chat.postMessage")[0]
    assert "I couldn't check *old.doc*: this is an old Word 97-2003 document" in texts_of(reply)
    mock.settle()
    assert not mock.of("files.getUploadURLExternal")


def test_too_large_is_refused_before_downloading(slack, mock):
    big = mock.share_file("huge.docx", b"PK")
    big["size"] = 60_000_000
    slack.event(file_dm([big]))
    assert "too large" in texts_of(mock.wait_for("chat.postMessage")[0])
    assert not mock.of("files.download")


def test_other_dms_and_the_bots_own_files_are_left_to_the_others(slack, mock):
    image = mock.share_file("photo.png", corpus.png(), filetype="png", mimetype="image/png")
    slack.event(file_dm([image], text="what is mastery-based learning?"))
    answer = mock.wait_for("chat.postMessage")[0]
    assert "What is mastery-based learning?" in texts_of(answer)  # the usual DM answer
    mock.settle()
    own = mock.share_file("mine.docx", corpus.rich_document())
    mock.reset()
    slack.event(file_dm([own], bot_id=BOT_ID))
    mock.settle()
    assert not mock.of("files.download")


def test_check_wording_on_a_message_with_a_docx(slack, mock):
    shared = mock.share_file("release.docx", corpus.rich_document())
    payload = {
        "type": "message_action", "callback_id": "check_wording",
        "user": {"id": USER, "name": "alice", "team_id": TEAM_ID},
        "channel": {"id": CHANNEL, "name": "general"},
        "message": {"type": "message", "user": "U0COLLEAGUE", "ts": "1700000000.000700",
                    "text": "Draft attached", "files": [shared]},
        "message_ts": "1700000000.000700",
        "trigger_id": mock.trigger(),
        "response_url": mock.response_url("shortcut"),
    }
    assert slack.interactive(payload).status_code == 200
    note = mock.wait_for("respond")[0]
    assert note.params["response_type"] == "ephemeral"
    assert "sent the checked copy of *release.docx* to you" in texts_of(note)
    completed = mock.wait_for("files.completeUploadExternal")[0]
    assert completed.params.get("channel_id", "").startswith("D")  # a DM, not the channel
    assert all(c.params.get("channel") != CHANNEL for c in mock.of("chat.postMessage"))


def test_a_word_file_attached_to_a_mention_is_checked_in_its_thread(slack, mock):
    shared = mock.share_file("release.docx", corpus.rich_document())
    ts = "1700000400.000100"
    event = {"type": "app_mention", "user": USER, "text": f"<@{BOT_ID}> check this file",
             "files": [shared], "ts": ts, "channel": CHANNEL, "event_ts": ts}
    assert slack.event(event).status_code == 200
    completed = mock.wait_for("files.completeUploadExternal")[0]
    summary = mock.of("chat.postMessage")[0]
    assert summary.params["channel"] == CHANNEL and summary.params.get("thread_ts") == ts
    assert "*release.docx*:" in texts_of(summary)  # the file, not the words "check this file"
    assert completed.params.get("channel_id") == CHANNEL


def test_a_file_that_is_not_word_in_a_dm_is_told_what_can_be_checked(slack, mock):
    pdf = mock.share_file("plan.pdf", b"%PDF-1.7 ...", filetype="pdf",
                          mimetype="application/pdf")
    slack.event(file_dm([pdf]))
    shown = texts_of(mock.wait_for("chat.postMessage")[0])
    assert "I can check Word files (.docx) only" in shown
    assert "How to use" not in shown
