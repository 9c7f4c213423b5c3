"""The core under the three interfaces (CLI, HTTP API + web page, Slack).

Layers, enforced by ``tests/test_layers.py``::

    bot (interfaces)  ->  bot.core  ->  faq, messaging  ->  toolkit

``bot.core`` is the one place that sees both engines: the one content validator
(:mod:`bot.core.validate`) lives here because ``toolkit`` may import neither ``faq`` nor
``messaging``. The interfaces (CLI, API, Slack) call it; nothing below ``bot`` imports it, and it
imports no interface module.
"""
