"""How far two careful labellers agree on real-shaped FAQ questions, beside the engine: a
ceiling for the targets of issue 12.

    .venv/bin/python benchmarks/faq_agreement.py

A second labeller (a helper who saw only each question and the entry list) labelled the 200
questions of audits G and H again; its labels are in
``benchmarks/faq_agreement/session26_gh_second_labeller.yaml``. For the questions the first
labeller says the toolkit covers, it reports how often the second labeller's first entry is one
the first labeller accepts (its "right answer"), how often it is another entry, and the engine's
right and confident-wrong answers on the same questions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECOND = ROOT / "benchmarks" / "faq_agreement" / "session26_gh_second_labeller.yaml"
AUDITS = ("g", "h")


def main() -> None:
    from faq.engine import Engine
    from faq.evaluate import engine_reply
    from toolkit import load_toolkit

    engine = Engine.from_toolkit(load_toolkit())
    ask = engine_reply(engine)
    first: dict[str, tuple[list[str], str]] = {}
    for name in AUDITS:
        path = ROOT / "benchmarks" / f"faq_session26_{name}_questions.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for k, item in enumerate(data["in_scope"]):
            first[f"{name}-in-{k}"] = ([engine.canonical_id(i) for i in item["ids"]], item["q"])
        for k, item in enumerate(data["out_of_scope"]):
            first[f"{name}-out-{k}"] = ([], item["q"])
    labels = yaml.safe_load(SECOND.read_text(encoding="utf-8"))["labels"]
    second = {item["n"]: [engine.canonical_id(i) for i in item.get("ids") or []]
              for item in labels}
    covered = [n for n, (ids, _) in first.items() if ids]
    b_right = sum(bool(second[n]) and second[n][0] in first[n][0] for n in covered)
    b_wrong = sum(bool(second[n]) and second[n][0] not in first[n][0] for n in covered)
    e_right = e_wrong = 0
    for n in covered:
        answered, _ = ask(first[n][1])
        e_right += answered is not None and answered in first[n][0]
        e_wrong += answered is not None and answered not in first[n][0]
    scope = sum(bool(first[n][0]) == bool(second[n]) for n in first)
    total = len(covered)
    print("| who answers (against labeller A) | covered | right answer | confident wrong |")
    print("| --- | --- | --- | --- |")
    print(f"| labeller B | {total} | {b_right / total:.3f} | {b_wrong / total:.3f} |")
    print(f"| engine | {total} | {e_right / total:.3f} | {e_wrong / total:.3f} |")
    print(f"\nCovered or not: the two labellers agree on {scope} of {len(first)} questions.")


if __name__ == "__main__":
    main()
