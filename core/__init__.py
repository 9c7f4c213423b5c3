"""The core under the three interfaces (CLI, HTTP API + web page, Slack).

Layers, enforced by ``tests/test_layers.py``::

    bot  ->  core  ->  faq, messaging  ->  toolkit

``core`` is the one place that sees both engines: the one content validator
(:mod:`core.validate`) lives here because ``toolkit`` may import neither ``faq`` nor
``messaging``. ``bot`` (the interfaces) calls it; nothing below ``core`` imports it.
"""
