"""Measure an answering engine on a labelled question set (tests/eval_questions.yaml).

Shared by the regression test and ``benchmarks/faq_bench.py`` so both count
the same way:

* **top-1** — the engine answered (score at or above its threshold) with an
  acceptable entry. A fallback counts as a miss.
* **top-3** — an acceptable entry is among what the user is shown: the answer
  plus the "did you mean" suggestions, at most three ids in all.
* **rejection** — the share of out-of-scope questions that got the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    ids: tuple[str, ...]  # empty: out of scope
    who: str = ""
    #: out of scope only: "off-topic", "no-entry" (in topic, nothing answers it) or
    #: "other-language" (benchmarks/faq_real_questions.yaml); "" in older sets
    kind: str = ""
    #: the file list it is written in ("in_scope" or "out_of_scope"): an out-of-scope
    #: question relabelled with ``ids`` later (an entry added for it) keeps its place in the
    #: held-out split (:func:`held_out`)
    listed: str = ""

    @property
    def in_scope(self) -> bool:
        return bool(self.ids)


@dataclass
class EvalResult:
    top1: float
    top3: float
    rejection: float
    in_scope: int
    out_of_scope: int
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "top1": self.top1,
            "top3": self.top3,
            "rejection": self.rejection,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
        }


def load_eval_set(path: Path | str) -> list[EvalQuestion]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out = [
        EvalQuestion(str(item["q"]), tuple(item["ids"]), str(item.get("who", "")))
        for item in data["in_scope"]
    ]
    # an out-of-scope question may carry ``ids``: relabelled when an entry was written for
    # it after the set was (its ``kind`` says what it was); it is then answered by them
    out += [
        EvalQuestion(str(item["q"]), tuple(item.get("ids") or ()),
                     kind="" if item.get("ids") else str(item.get("kind", "")),
                     listed="out_of_scope")
        for item in data["out_of_scope"]
    ]
    return out


def canonical(questions: Sequence[EvalQuestion], engine: Any) -> list[EvalQuestion]:
    """``questions`` with each label read as the engine's id for it (``Engine.canonical_id``):
    a set labelled with a glossary term an FAQ entry answers ("term-seat-time") counts that
    entry's answer ("credits-seat-time") as right."""
    out = []
    for item in questions:
        ids: list[str] = []
        for entry_id in item.ids:
            mapped = engine.canonical_id(entry_id)
            if mapped not in ids:
                ids.append(mapped)
        out.append(replace(item, ids=tuple(ids)))
    return out


def held_out(questions: Sequence[EvalQuestion]) -> tuple[list[EvalQuestion], list[EvalQuestion]]:
    """(dev, held out) of a real-question set: in-scope and out-of-scope items are numbered
    from 0 in file order, separately (by the list they are written in, so relabelling one
    moves nothing); every third one (index % 3 == 2) is held out."""
    dev: list[EvalQuestion] = []
    kept: list[EvalQuestion] = []

    def listed_in(q: EvalQuestion) -> str:
        return q.listed or ("in_scope" if q.in_scope else "out_of_scope")

    for group in ([q for q in questions if listed_in(q) == "in_scope"],
                  [q for q in questions if listed_in(q) == "out_of_scope"]):
        for index, item in enumerate(group):
            (kept if index % 3 == 2 else dev).append(item)
    return dev, kept


@dataclass
class RealResult:
    """The measures of issue 12 on real questions (counts, and shares of each group)."""

    covered: int
    right: float  # answered with an acceptable entry
    confident_wrong: float  # answered with another entry
    offered: float  # an acceptable entry is the answer or one of the choices / suggestions
    off_topic: int
    off_topic_declined: float
    no_entry: int
    no_entry_declined: float
    other_language: int
    other_language_declined: float
    misses: list[dict[str, Any]] = field(default_factory=list)
    #: of the covered questions not answered (choices or a fallback), the share whose first
    #: entry offered is an acceptable one (0.0 when every covered question was answered)
    first_offered: float = 0.0
    unsure: int = 0


def evaluate_real(ask: Callable[[str], Reply], questions: Sequence[EvalQuestion]) -> RealResult:
    counts: dict[str, int] = {}
    hits: dict[str, int] = {}
    misses: list[dict[str, Any]] = []

    def add(key: str, ok: bool) -> None:
        counts[key] = counts.get(key, 0) + 1
        hits[key] = hits.get(key, 0) + ok

    for item in questions:
        answered, shown = ask(item.question)
        shown3 = list(shown)[:3]
        if item.in_scope:
            right = answered is not None and answered in item.ids
            add("right", right)
            add("wrong", answered is not None and not right)
            offered = any(i in item.ids for i in shown3)
            add("offered", offered)
            if answered is None:
                add("first", bool(shown3) and shown3[0] in item.ids)
            if not right:
                misses.append({"q": item.question, "want": item.ids, "got": answered,
                               "shown": shown3, "top3": offered, "kind": "covered"})
        else:
            kind = item.kind or "off-topic"
            add(kind, answered is None)
            if answered is not None:
                misses.append({"q": item.question, "want": (), "got": answered,
                               "shown": shown3, "top3": False, "kind": kind})

    def share(key: str) -> float:
        return hits.get(key, 0) / counts[key] if counts.get(key) else 0.0

    return RealResult(
        covered=counts.get("right", 0),
        right=share("right"),
        confident_wrong=share("wrong"),
        offered=share("offered"),
        off_topic=counts.get("off-topic", 0),
        off_topic_declined=share("off-topic"),
        no_entry=counts.get("no-entry", 0),
        no_entry_declined=share("no-entry"),
        other_language=counts.get("other-language", 0),
        other_language_declined=share("other-language"),
        misses=misses,
        first_offered=share("first"),
        unsure=counts.get("first", 0),
    )


#: What a system under test returns for one question: (answered id or None, shown ids).
Reply = tuple[str | None, Sequence[str]]


def evaluate(ask: Callable[[str], Reply], questions: Sequence[EvalQuestion]) -> EvalResult:
    hit1 = hit3 = rejected = n_in = n_out = 0
    misses: list[dict[str, Any]] = []
    for item in questions:
        answered, shown = ask(item.question)
        if item.in_scope:
            n_in += 1
            ok1 = answered is not None and answered in item.ids
            ok3 = any(i in item.ids for i in list(shown)[:3])
            hit1 += ok1
            hit3 += ok3
            if not ok1:
                misses.append({"q": item.question, "want": item.ids, "got": answered,
                               "shown": list(shown), "top3": ok3})
        else:
            n_out += 1
            if answered is None:
                rejected += 1
            else:
                misses.append({"q": item.question, "want": (), "got": answered,
                               "shown": list(shown), "top3": False})
    return EvalResult(
        top1=hit1 / n_in if n_in else 0.0,
        top3=hit3 / n_in if n_in else 0.0,
        rejection=rejected / n_out if n_out else 0.0,
        in_scope=n_in,
        out_of_scope=n_out,
        misses=misses,
    )


def engine_reply(engine: Any) -> Callable[[str], Reply]:
    """Adapt :class:`faq.engine.Engine` to :func:`evaluate`."""

    def ask(question: str) -> Reply:
        answer = engine.answer(question)
        shown = ([answer.id] if answer.id else []) + [s.id for s in answer.suggestions]
        return answer.id, shown[:3]

    return ask
