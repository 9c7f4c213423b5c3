"""How far two careful labellers agree on the checker's real-text passages, and how the
checker scores against each: a ceiling for the targets of issue 13.

    .venv/bin/python benchmarks/checker_agreement.py

A second labeller (a helper who saw only each passage's text and audience and the rules
brief) labelled fresh94-fresh96 again (session 26) and fresh100-fresh102 again (session 27,
the passages shuffled); its labels are in ``benchmarks/checker_agreement/``. Labeller B's
phrase flags are scored against labeller A's (the corpus labels) the way the checker's are:
a flag is right when it overlaps a label of the same rule. fresh100-102 carry no exit labels
(see the corpus README), so exit agreement is shown only for fresh94-96.
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

AGREEMENT = ROOT / "benchmarks" / "checker_agreement"
#: (second labeller's file, the corpus files it labelled again)
PAIRS = (
    (AGREEMENT / "fresh94-96_second_labeller.yaml", ("fresh94", "fresh95", "fresh96")),
    (AGREEMENT / "fresh100-102_second_labeller.yaml", ("fresh100", "fresh101", "fresh102")),
)


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
    labelled = any("exit" in p for p in first)
    return (f"| labeller B against labeller A | {len(first)} | {tp / (tp + fp):.3f} | "
            f"{tp / (tp + fn):.3f} | {f'{exits}/{len(first)}' if labelled else '—'} |")


def main() -> None:
    checker = crt.build_checker()
    for path, files in PAIRS:
        first = [p for name in files for p in crt.load(name)]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        second = {p["id"]: p for p in data["passages"]}

        def as_b(p: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
            out = {**p, "flags": other.get("flags") or [], "long": other.get("long") or []}
            if "exit" in other:
                out["exit"] = other["exit"]
            return out

        relabelled = [as_b(p, second[p["id"]]) for p in first]
        print(f"\n{files[0]}-{files[-1]}\n")
        print("| comparison | passages | phrase precision | phrase recall | exit codes agree |")
        print("| --- | --- | --- | --- | --- |")
        print(agreement(first, second))
        for name, passages in (("checker against labeller A", first),
                               ("checker against labeller B", relabelled)):
            s = crt.score(checker, passages)
            print(f"| {name} | {s.passages} | {s.precision():.3f} | {s.recall():.3f} | "
                  f"{s.exit_right}/{s.passages} |")


if __name__ == "__main__":
    main()
