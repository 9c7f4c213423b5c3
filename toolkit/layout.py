"""Where each kind of content lives in a toolkit folder.

Imports nothing heavy: the checker's on-disk cache (``messaging/cache.py``) keys itself on
the files of the kinds the checker declares it reads (``Checker.INPUTS``) before the
toolkit is loaded, and the loader reads the same map — so no list of file names is kept
by hand anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: kind (the attribute of ``Toolkit``) -> the YAML file holding a list of them
LIST_FILES: dict[str, str] = {
    "sources": "sources.yaml",
    "findings": "findings.yaml",
    "faq": "faq.yaml",
    "myths": "myths.yaml",
    "audiences": "audiences.yaml",
    "proof_points": "proof_points.yaml",
    "glossary": "glossary.yaml",
    "synonyms": "synonyms.yaml",
    "rules": "rules.yaml",
    "out_of_scope": "out_of_scope.yaml",
    "local": "local.yaml",
    "reported_speech": "reported_speech.yaml",
}
#: kind -> the folder holding one YAML file per item
FOLDERS: dict[str, str] = {"templates": "templates", "profiles": "profiles"}


def input_files(root: Path, kinds: Iterable[str]) -> list[Path]:
    """The files a toolkit at ``root`` keeps the content of ``kinds`` in (existing or not,
    for the list files; the items present, for the folders)."""
    out: list[Path] = []
    for kind in kinds:
        if kind in LIST_FILES:
            out.append(root / LIST_FILES[kind])
        elif kind in FOLDERS:
            folder = root / FOLDERS[kind]
            out.extend(sorted(folder.glob("*.yaml")) if folder.is_dir() else [folder])
        else:
            raise KeyError(f"unknown kind of toolkit content: {kind!r}")
    return out


__all__ = ["FOLDERS", "LIST_FILES", "input_files"]
