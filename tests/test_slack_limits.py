"""No reply breaks a Slack limit, for any content the toolkit holds.

Every FAQ entry and myth (short and full, for every audience), every audience's key
messages (as a message and in the browse modal), the myths browser for every topic,
the Home tab, the template list and the help are built by the bot's presenters and
checked with the strict stand-in's rules (tests/mock_slack.py), without a server.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests import mock_slack as ms


@pytest.fixture(scope="module")
def svc(toolkit: Any) -> Any:
    from bot.settings import Settings
    from bot.slack.services import Services

    return Services.build(Settings(), toolkit, None)


def taken(blocks: list[dict[str, Any]], what: str) -> None:
    error, problems = ms.message_problems({"text": "fallback", "blocks": blocks})
    assert error is None, f"{what}: {error} {problems[:3]}"


def test_every_answer_fits_a_message(svc: Any, toolkit: Any) -> None:
    from bot.slack import blocks as bk

    audiences = [None, *toolkit.audiences]
    checked = 0
    for entry_id in [*toolkit.faq, *toolkit.myths]:
        for audience in audiences:
            for full in (False, True):
                answer = svc.faq.lookup(entry_id, audience, full)
                blocks = bk.answer_blocks(answer, question="q " * 200, audience=audience,
                                          full=full)
                taken(blocks, f"{entry_id} ({audience}, full={full})")
                checked += 1
                if audience is None:  # shared in the channel: no buttons, a mention
                    taken(bk.answer_blocks(answer, question="q", full=full,
                                           shared_by="U0ALICE001"), f"{entry_id} shared")
    assert checked == 2 * len(audiences) * (len(toolkit.faq) + len(toolkit.myths))


def test_every_myth_and_audience_fits(svc: Any, toolkit: Any) -> None:
    from bot.slack import blocks as bk
    from bot.slack import replies
    from bot.slack.listeners.home import browse_messages_view, browse_myths_view, myth_topics

    for myth in toolkit.myths.values():
        taken(bk.fit(bk.myth_blocks(myth, toolkit)), myth.id)
    for audience in toolkit.audiences.values():
        taken(replies.messages(svc, audience.id).blocks, f"messages for {audience.id}")
        assert ms.view_problems(browse_messages_view(svc, audience.id)) == (None, [])
    for topic in myth_topics(svc):
        assert ms.view_problems(browse_myths_view(svc, topic)) == (None, [])


def test_home_lists_and_help_fit(svc: Any) -> None:
    from bot.slack import replies
    from bot.slack.listeners.home import home_view

    assert ms.view_problems(home_view(svc, "slack:T1:U1")) == (None, [])
    taken(replies.templates_list(svc).blocks, "template list")
    taken(replies.usage("chek").blocks, "help")


def test_a_spanish_question_gets_english_only_and_english_topic_buttons(svc: Any) -> None:
    import json

    from bot.slack import blocks as bk

    question = "¿Qué quiere decir que mi hija sacó un 2 en la boleta de calificaciones?"
    answer = svc.faq.answer(question)
    blocks = bk.answer_blocks(answer, question=question)
    taken(blocks, "other-language reply")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "I can answer in English only. (Solo puedo responder en inglés.)" in text
    assert "temas cercanos" in text
    assert "grading-scale-levels" in text  # a button for the closest English topic


def test_an_arabic_question_gets_no_spanish_words(svc: Any) -> None:
    import json

    from bot.slack import blocks as bk

    question = "ماذا يعني الرقم 2 في بطاقة تقرير ابني؟"
    answer = svc.faq.answer(question)
    text = json.dumps(bk.answer_blocks(answer, question=question), ensure_ascii=False)
    assert "I can answer in English only." in text
    assert "The closest topics, in English:" in text
    assert "temas" not in text and "Solo puedo" not in text


def test_which_states_without_a_list_says_so_with_the_entry_offered(svc: Any) -> None:
    import json

    from bot.slack import blocks as bk
    from bot.slack import replies, texts

    question = "Which states let students retake tests?"
    answer = svc.faq.answer(question)
    assert answer.reason == "no-list"
    blocks = bk.answer_blocks(answer, question=question)
    taken(blocks, "no-list reply")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "does not list which states" in text and "retakes" in text
    assert replies._fallback(answer) == texts.NO_LIST
