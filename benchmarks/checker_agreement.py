"""How far two careful labellers agree on the checker's real-text passages, and how the
checker scores against each: a ceiling for the targets of issue 13.

    .venv/bin/python benchmarks/checker_agreement.py

A second labeller (a helper who saw only each passage's text and audience and the rules
brief) labelled fresh94-fresh96 again; its labels are in
``benchmarks/checker_agreement/fresh94-96_second_labeller.yaml``. Labeller B's phrase flags
are scored against labeller A's (the corpus labels) the way the checker's are: a flag is
right when it overlaps a label of the same rule.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import checker_realtext as crt  # noqa: E402

SECOND = ROOT / "benchmarks" / "checker_agreement" / "fresh94-96_second_labeller.yaml"
FILES = ("fresh94", "fresh95", "fresh96")


def agreement(first: list[dict[str, Any]], second: dict[str, dict[str, Any]]) -> str:
    tp = fp = fn = exits = 0
    for passage in first:
        other = second[passage["id"]]
        text = passage["text"]
        mine = [(rule, crt._spans(text, words)) for rule, words in passage.get("flags") or []]
        used = [False] * len(mine)
        for rule, words in other.get("flags") or []:
            spans = crt._spans(text, words)
            hit = next((k for k, (r, theirs) in enumerate(mine) if not used[k] and r == rule
                        and any(s < e2 and s2 < e for s, e in theirs for s2, e2 in spans)), None)
            if hit is None:
                fp += 1
            else:
                used[hit] = True
                tp += 1
        fn += used.count(False)
        exits += bool(passage.get("exit")) == bool(other.get("exit"))
    return (f"| labeller B against labeller A | {len(first)} | {tp / (tp + fp):.3f} | "
            f"{tp / (tp + fn):.3f} | {exits}/{len(first)} |")


def main() -> None:
    first = [p for name in FILES for p in crt.load(name)]
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    second = {p["id"]: p for p in data["passages"]}
    checker = crt.build_checker()
    as_b = [{**p, "flags": second[p["id"]].get("flags") or [],
             "long": second[p["id"]].get("long") or [], "exit": second[p["id"]].get("exit", 0)}
            for p in first]
    print("| comparison | passages | phrase precision | phrase recall | exit codes agree |")
    print("| --- | --- | --- | --- | --- |")
    print(agreement(first, second))
    for name, passages in (("checker against labeller A", first),
                           ("checker against labeller B", as_b)):
        s = crt.score(checker, passages)
        print(f"| {name} | {s.passages} | {s.precision():.3f} | {s.recall():.3f} | "
              f"{s.exit_right}/{s.passages} |")


if __name__ == "__main__":
    main()
