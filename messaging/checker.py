"""The phrase checker: flags wording that message testing found weak, with the evidence.

Rules are data (``toolkit/content/rules.yaml`` plus any user rule files); this
module compiles them once into a :class:`Checker` and applies them to text::

    checker = Checker.from_toolkit(tk)
    report = checker.check(text, audience="parents")
    for flag in report.flags:
        print(flag.line, flag.column, flag.rule, flag.message, flag.suggestions)

A check is pure: it reads nothing and writes nothing, and every offset in the
report is an offset into the text given.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from messaging.markup import MARKUPS, Prepared, merge_spans, prepare
from messaging.matching import Pattern, PatternError, PatternSet, Tokens, stem, tokenize
from messaging.readability import (
    Readability,
    Sentence,
    Target,
    audience_phrase,
    split_sentences,
    summarize,
)

if TYPE_CHECKING:
    from toolkit import Toolkit

Severity = Literal["error", "warning", "suggestion"]
SEVERITIES: tuple[str, ...] = ("suggestion", "warning", "error")
RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
QUOTE_MODES = ("report", "skip")

#: At most this many flags of one rule in one text.
MAX_FLAGS_PER_RULE = 200
#: The built-in readability rule (not a phrase rule: it has no patterns).
LONG_SENTENCE = "long-sentence"
#: The finding cited by the long-sentence rule, when the toolkit has it.
LONG_SENTENCE_FINDING = "takeaway-clear-language"


class RuleFileError(Exception):
    """A rule or config file (or a rule in the toolkit) that cannot be used.

    ``problems`` are ``file:line: message`` strings, one per problem.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ------------------------------------------------------------------ config
@dataclass(frozen=True)
class CheckConfig:
    """What to check. Every field has a safe default; see :meth:`from_file` for the YAML form."""

    rules: frozenset[str] | None = None  # only these rules (None: all)
    disable: frozenset[str] = frozenset()
    min_severity: str = "suggestion"
    quotes: str = "report"  # report quoted matches separately (quoted: true) or skip them
    allow: tuple[str, ...] = ()  # phrases used on purpose: never flagged
    rule_files: tuple[Path, ...] = ()
    long_sentences: bool = True

    KEYS = ("rules", "disable", "min_severity", "quotes", "allow", "rule_files", "long_sentences")

    def enabled(self, rule_id: str) -> bool:
        if rule_id in self.disable:
            return False
        return self.rules is None or rule_id in self.rules

    @classmethod
    def from_file(cls, path: Path) -> CheckConfig:
        """Read a YAML config::

        rules: [rigorous, reorganizes-time]   # only these (default: all)
        disable: [fad-framing]
        min_severity: warning                 # suggestion | warning | error
        quotes: skip                          # report | skip
        allow: ["rigorous standards-based academic content"]
        rule_files: [our-rules.yaml]          # relative to this file
        long_sentences: true
        """
        from toolkit.yamlio import YamlProblem, load_yaml_file

        name = str(path)
        try:
            data = load_yaml_file(path, display=name)
        except YamlProblem as exc:
            raise RuleFileError([str(exc)]) from None
        if data is None:
            return cls()
        line = getattr(data, "line", 1) or 1
        if not isinstance(data, dict):
            raise RuleFileError([f"{name}:{line}: a config file holds 'key: value' settings"])
        problems: list[str] = []
        key_lines = getattr(data, "key_lines", {})

        def at(key: str) -> str:
            return f"{name}:{key_lines.get(key, line)}"

        for key in data:
            if key not in cls.KEYS:
                problems.append(f"{at(key)}: unknown setting '{key}' (use {', '.join(cls.KEYS)})")

        def names(key: str) -> frozenset[str] | None:
            value = data.get(key)
            if value is None:
                return None
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{at(key)}: '{key}' must be a list of rule ids")
                return None
            return frozenset(value)

        rules = names("rules")
        disable = names("disable") or frozenset()
        min_severity = str(data.get("min_severity", "suggestion"))
        if min_severity not in SEVERITIES:
            problems.append(
                f"{at('min_severity')}: min_severity must be one of {', '.join(SEVERITIES)}"
            )
        quotes = str(data.get("quotes", "report"))
        if quotes not in QUOTE_MODES:
            problems.append(f"{at('quotes')}: quotes must be 'report' or 'skip'")
        allow = data.get("allow") or []
        if isinstance(allow, str):
            allow = [allow]
        if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
            problems.append(f"{at('allow')}: 'allow' must be a list of phrases")
            allow = []
        rule_files = data.get("rule_files") or []
        if isinstance(rule_files, str):
            rule_files = [rule_files]
        if not isinstance(rule_files, list) or not all(isinstance(f, str) for f in rule_files):
            problems.append(f"{at('rule_files')}: 'rule_files' must be a list of file names")
            rule_files = []
        long_sentences = data.get("long_sentences", True)
        if not isinstance(long_sentences, bool):
            problems.append(f"{at('long_sentences')}: long_sentences must be true or false")
            long_sentences = True
        if problems:
            raise RuleFileError(problems)
        return cls(
            rules=rules,
            disable=disable,
            min_severity=min_severity,
            quotes=quotes,
            allow=tuple(allow),
            rule_files=tuple(path.parent / f for f in rule_files),
            long_sentences=long_sentences,
        )


# ------------------------------------------------------------------ results
SuggestionKind = Literal["replacement", "advice"]
SUGGESTION_KINDS: tuple[str, ...] = ("replacement", "advice")


class Suggestion(str):
    """A suggestion's text (it *is* the string) and its kind.

    A ``replacement`` drops into the sentence in place of the flagged words and keeps it
    grammatical: interfaces may offer it with one click and ``mastery check --fix``
    applies it. ``advice`` is guidance for the writer and is never pasted.
    """

    kind: str
    #: a replacement that fits only flagged words written so (normalized); else advice
    only_for: frozenset[str]
    #: a replacement that fits only before one of these words (within ``BEFORE_WORDS``
    #: words after the flagged ones: "rigorous coursework", not "a rigorous new report
    #: card") or at the end of a clause ("the work is rigorous."); else advice
    only_before: frozenset[str]

    def __new__(
        cls, text: str, kind: str = "advice", only_for: Iterable[str] = (),
        only_before: Iterable[str] = (),
    ) -> Suggestion:
        if kind not in SUGGESTION_KINDS:
            raise ValueError(f"a suggestion is a replacement or advice, not '{kind}'")
        obj = super().__new__(cls, text)
        obj.kind = kind
        obj.only_for = frozenset(_plain(w) for w in only_for)
        obj.only_before = frozenset(_plain(w) for w in only_before)
        return obj

    @property
    def text(self) -> str:
        return str(self)

    @property
    def is_replacement(self) -> bool:
        return self.kind == "replacement"

    def to_dict(self) -> dict[str, str]:
        return {"text": str(self), "kind": self.kind}

    def __reduce__(self) -> tuple[Any, ...]:
        return (Suggestion, (str(self), self.kind, tuple(self.only_for),
                             tuple(self.only_before)))


def _plain(words: str) -> str:
    """Words compared for ``only_for``: lower case, hyphens and spaces alike."""
    return " ".join(words.lower().replace("-", " ").replace("’", "'").split())


#: a jargon term used on this many lines of a text is its subject: the text explains it
SUBJECT_USES = 3


@dataclass(frozen=True)
class Flag:
    """One finding in a text."""

    rule: str
    severity: str
    start: int
    end: int
    line: int
    column: int
    text: str
    message: str
    suggestions: tuple[Suggestion, ...] = ()
    finding: Mapping[str, str] | None = None  # {id, title, summary}
    sources: tuple[Mapping[str, Any], ...] = ()  # [{id, title, author, year}]
    quoted: bool = False

    @property
    def source(self) -> Mapping[str, Any] | None:
        return self.sources[0] if self.sources else None

    @property
    def replacements(self) -> tuple[str, ...]:
        """The suggestions that may replace the flagged words."""
        return tuple(str(s) for s in self.suggestions if getattr(s, "kind", "") == "replacement")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            # each {text, kind}: kind "replacement" drops into the sentence, "advice" never
            "suggestions": [_suggestion_dict(s) for s in self.suggestions],
            "finding": dict(self.finding) if self.finding else None,
            "source": dict(self.source) if self.source else None,
            "sources": [dict(s) for s in self.sources],
            "quoted": self.quoted,
        }


@dataclass(frozen=True)
class Report:
    flags: list[Flag]
    readability: Readability | None
    audience: str | None = None

    @property
    def counted(self) -> list[Flag]:
        """Flags that count towards a fail level (quoted ones do not)."""
        return [f for f in self.flags if not f.quoted]

    @property
    def worst_severity(self) -> str | None:
        worst = None
        for flag in self.counted:
            if worst is None or RANK[flag.severity] > RANK[worst]:
                worst = flag.severity
        return worst

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("error", "warning", "suggestion", "quoted"), 0)
        for flag in self.flags:
            counts["quoted" if flag.quoted else flag.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            # what counts; matches inside quotations are listed apart (they are someone
            # else's words: shown for information, never a finding to fix)
            "flags": [f.to_dict() for f in self.flags if not f.quoted],
            "quoted": [f.to_dict() for f in self.flags if f.quoted],
            "counts": self.counts(),
            "worst_severity": self.worst_severity,
            "readability": self.readability.to_dict() if self.readability else None,
        }


# ------------------------------------------------------------------ rules
@dataclass(frozen=True)
class CompiledRule:
    id: str
    message: str
    severity: str
    severity_by_audience: Mapping[str, str]
    audiences: frozenset[str]
    patterns: tuple[Pattern, ...]
    exceptions: tuple[Pattern, ...]
    suggestions: tuple[Suggestion, ...]
    finding: Mapping[str, str] | None
    sources: tuple[Mapping[str, Any], ...]
    where: str = ""
    #: flag a term only at its first use in a text
    once_per_text: bool = False
    #: a term followed / preceded by one of these, or by a bracket of at least
    #: ``bracket_words`` words, is explained: it is then not flagged anywhere in the text
    explain_after: tuple[Pattern, ...] = ()
    explain_before: tuple[Pattern, ...] = ()
    bracket_words: int = 0
    #: not in a question or a myth being answered (the reader's worry, not the writer's claim)
    skip_questions: bool = False

    @property
    def explains(self) -> bool:
        return bool(self.explain_after or self.explain_before or self.bracket_words)

    @property
    def replaces(self) -> bool:
        """Whether any of its suggestions is a replacement (drops into the sentence)."""
        return any(s.is_replacement for s in self.suggestions)

    @property
    def exception_width(self) -> int:
        return max((p.width for p in self.exceptions), default=0)

    def severity_for(self, audience: str | None) -> str:
        if audience is not None:
            return self.severity_by_audience.get(audience, self.severity)
        return self.severity

    def applies_to(self, audience: str | None) -> bool:
        return not self.audiences or (audience is not None and audience in self.audiences)


@dataclass(frozen=True)
class AudienceInfo:
    id: str
    name: str
    names: frozenset[str]
    target: Target
    family: bool = False


def match_case(suggestion: str, original: str) -> str:
    """Give a suggestion the case of the text it replaces (Rigorous -> Challenging)."""
    letters = [c for c in original if c.isalpha()]
    if not letters or not suggestion:
        return suggestion
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return suggestion.upper()
    if letters[0].isupper():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion


def _compile_patterns(sources: Iterable[str], where: str, what: str) -> tuple[Pattern, ...]:
    compiled = []
    problems = []
    for index, source in enumerate(sources, 1):
        try:
            compiled.append(Pattern.compile(source))
        except PatternError as exc:
            problems.append(f"{where}: {what} {index}: {exc}")
    if problems:
        raise RuleFileError(problems)
    return tuple(compiled)


class Checker:
    """Compiled phrase rules plus the audiences' readability targets."""

    #: the kinds of toolkit content :meth:`from_toolkit` reads (the on-disk cache's key
    #: derives from their files; tests/test_core.py checks the list is complete)
    INPUTS: tuple[str, ...] = ("sources", "findings", "audiences", "rules", "reported_speech")

    def __init__(
        self,
        rules: Sequence[CompiledRule],
        audiences: Sequence[AudienceInfo] = (),
        config: CheckConfig | None = None,
        long_sentence_finding: Mapping[str, str] | None = None,
        long_sentence_sources: tuple[Mapping[str, Any], ...] = (),
        speech: SpeechCues | None = None,
    ) -> None:
        self.config = config or CheckConfig()
        #: the words that introduce reported speech (none: reported speech is not looked for)
        self.speech = speech or SpeechCues()
        self.rules: dict[str, CompiledRule] = {r.id: r for r in rules}
        self.audiences = {a.id: a for a in audiences}
        self._rule_list = list(self.rules.values())
        self._index = PatternSet()
        problems = []
        for number, rule in enumerate(self._rule_list):
            for pattern in rule.patterns:
                try:
                    self._index.add(number, pattern)
                except PatternError as exc:
                    problems.append(f"{rule.where}: rule '{rule.id}': {exc}")
        if problems:
            raise RuleFileError(problems)
        self._allow = _compile_patterns(self.config.allow, "config", "allowed phrase")
        self._allow_index = PatternSet()
        for pattern in self._allow:
            try:
                self._allow_index.add(0, pattern)
            except PatternError as exc:
                raise RuleFileError([f"config: allowed phrase: {exc}"]) from None
        self._long_finding = long_sentence_finding
        self._long_sources = long_sentence_sources
        #: per exception pattern (by id; the rules keep them alive), tokens -> first test passed
        self._exception_heads: dict[int, dict[str, bool]] = {}

    # ----------------------------------------------------------- building
    @classmethod
    def from_toolkit(
        cls,
        tk: Toolkit,
        extra_rule_files: Iterable[Path | str] = (),
        config: CheckConfig | None = None,
    ) -> Checker:
        """Compile the toolkit's rules, then the user's rule files (later ids replace earlier)."""
        config = config or CheckConfig()
        findings: dict[str, Mapping[str, str]] = {}
        finding_sources: dict[str, tuple[Mapping[str, Any], ...]] = {}
        source_info = {sid: _source_dict(s) for sid, s in tk.sources.items()}
        for fid, finding in tk.findings.items():
            findings[fid] = {"id": fid, "title": finding.title, "summary": finding.summary,
                             **finding.evidence()}  # location, confidence, note (where set)
            finding_sources[fid] = tuple(
                source_info[s] for s in finding.sources if s in source_info
            )
        rules: dict[str, CompiledRule] = {}
        problems: list[str] = []
        for rule in tk.rules.values():
            try:
                rules[rule.id] = _compile_rule(
                    rule, tk.where("rules", rule.id), findings, finding_sources
                )
            except RuleFileError as exc:
                problems.extend(exc.problems)
        audience_ids = set(tk.audiences)
        files = [*config.rule_files, *(Path(p) for p in extra_rule_files)]
        for path in files:
            try:
                for compiled in load_rule_file(
                    Path(path), findings, finding_sources, source_info, audience_ids
                ):
                    rules[compiled.id] = compiled
            except RuleFileError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RuleFileError(problems)
        audiences = [
            AudienceInfo(
                id=a.id,
                name=a.name,
                names=frozenset({a.id, a.name.lower(), *(x.lower() for x in a.aliases)}),
                target=Target.for_audience(a),
                family=a.family,
            )
            for a in tk.audiences.values()
        ]
        return cls(
            list(rules.values()),
            audiences,
            config,
            long_sentence_finding=findings.get(LONG_SENTENCE_FINDING),
            long_sentence_sources=finding_sources.get(LONG_SENTENCE_FINDING, ()),
            speech=SpeechCues.from_toolkit(tk.reported_speech.values()),
        )

    # ------------------------------------------------------ serialization
    def to_data(self) -> dict[str, Any]:
        """Everything needed to rebuild this checker, as plain JSON-ready data."""
        return {
            "rules": [
                {
                    "id": r.id,
                    "message": r.message,
                    "severity": r.severity,
                    "severity_by_audience": dict(r.severity_by_audience),
                    "audiences": sorted(r.audiences),
                    "patterns": [p.to_json() for p in r.patterns],
                    "exceptions": [p.to_json() for p in r.exceptions],
                    "suggestions": [_suggestion_dict(x) for x in r.suggestions],
                    "finding": dict(r.finding) if r.finding else None,
                    "sources": [dict(x) for x in r.sources],
                    "where": r.where,
                    "once_per_text": r.once_per_text,
                    "explain_after": [p.to_json() for p in r.explain_after],
                    "explain_before": [p.to_json() for p in r.explain_before],
                    "bracket_words": r.bracket_words,
                    "skip_questions": r.skip_questions,
                }
                for r in self._rule_list
            ],
            "audiences": [
                {
                    "id": a.id,
                    "name": a.name,
                    "names": sorted(a.names),
                    "target": a.target.to_dict() | {"name": a.target.name},
                    "family": a.family,
                }
                for a in self.audiences.values()
            ],
            "long_sentence_finding": dict(self._long_finding) if self._long_finding else None,
            "long_sentence_sources": [dict(x) for x in self._long_sources],
            "speech": self.speech.to_data(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any], config: CheckConfig | None = None) -> Checker:
        """Rebuild a checker saved with :meth:`to_data`."""
        rules = [
            CompiledRule(
                id=r["id"],
                message=r["message"],
                severity=r["severity"],
                severity_by_audience=r["severity_by_audience"],
                audiences=frozenset(r["audiences"]),
                patterns=tuple(_pattern_from(p) for p in r["patterns"]),
                exceptions=tuple(_pattern_from(p) for p in r["exceptions"]),
                suggestions=tuple(_suggestion_from(x) for x in r["suggestions"]),
                finding=r["finding"],
                sources=tuple(r["sources"]),
                where=r["where"],
                once_per_text=bool(r.get("once_per_text", False)),
                explain_after=tuple(_pattern_from(p) for p in r.get("explain_after", ())),
                explain_before=tuple(_pattern_from(p) for p in r.get("explain_before", ())),
                bracket_words=int(r.get("bracket_words", 0)),
                skip_questions=bool(r.get("skip_questions", False)),
            )
            for r in data["rules"]
        ]
        audiences = []
        for a in data["audiences"]:
            t = a["target"]
            target = Target(
                t["audience"],
                t["name"],
                t["max_grade"],
                t["min_reading_ease"],
                t["max_sentence_words"],
            )
            audiences.append(
                AudienceInfo(a["id"], a["name"], frozenset(a["names"]), target, a["family"])
            )
        return cls(
            rules,
            audiences,
            config,
            data.get("long_sentence_finding"),
            tuple(data.get("long_sentence_sources") or ()),
            SpeechCues.from_data(data.get("speech") or {}),
        )

    def with_config(self, config: CheckConfig) -> Checker:
        """The same rules with another config (rule files in ``config`` are not re-read)."""
        return Checker(
            self._rule_list,
            list(self.audiences.values()),
            config,
            self._long_finding,
            self._long_sources,
            self.speech,
        )

    def resolve_audience(self, audience: str | None) -> AudienceInfo | None:
        """The audience named by id, name or alias; toolkit.names.UnknownName (a ValueError)
        for an unknown name."""
        if audience is None or not str(audience).strip():
            return None
        wanted = str(audience).strip().lower()
        for info in self.audiences.values():
            if wanted in info.names:
                return info
        from toolkit.names import UnknownName  # a ValueError too, as before

        aliases = {name: info.id for info in self.audiences.values() for name in info.names}
        raise UnknownName("audience", str(audience), self.audiences, aliases)

    # ------------------------------------------------------------- check
    def check(self, text: str, audience: str | None = None, markup: str = "auto") -> Report:
        """Check ``text`` (Markdown, HTML or plain) for ``audience``; never raises on odd text."""
        if markup not in MARKUPS:
            raise ValueError(f"unknown markup '{markup}'; use one of {', '.join(MARKUPS)}")
        info = self.resolve_audience(audience)
        aud = info.id if info else None
        if not text or not text.strip():
            return Report([], None, aud)
        prepared = prepare(text, markup)
        tokens = tokenize(prepared.prose)
        sentences = split_sentences(prepared.prose, tokens)
        speech = reported_speech(tokens, sentences, self.speech)
        if speech:
            prepared.quoted = merge_spans(prepared.quoted + speech)
            prepared._quote_starts = None
        flags = self._phrase_flags(prepared, tokens, aud, sentences)
        target = info.target if info else Target.for_audience(None)
        summary = summarize(prepared, tokens, target, sentences)
        if summary is not None and self.config.long_sentences:
            flags.extend(self._long_sentence_flags(prepared, summary, target))
        if prepared.directives:
            flags = _apply_directives(prepared, flags)
        if self._allow and flags:
            flags = self._apply_allow(tokens, flags)
        minimum = RANK.get(self.config.min_severity, 0)
        flags = [f for f in flags if RANK[f.severity] >= minimum]
        if self.config.quotes == "skip":
            flags = [f for f in flags if not f.quoted]
        flags.sort(key=lambda f: (f.start, f.end, f.rule))
        return Report(flags, summary, aud)

    def _phrase_flags(
        self,
        prepared: Prepared,
        tokens: Tokens,
        aud: str | None,
        sentences: Sequence[Sentence] = (),
    ) -> list[Flag]:
        rules = self._rule_list
        config = self.config
        active = [r.applies_to(aud) and config.enabled(r.id) for r in rules]
        taken: dict[int, list[tuple[int, int]]] = {}
        flags: list[Flag] = []
        text = prepared.text
        prose = prepared.prose
        sentence_starts = [x.start for x in sentences]
        # per rule that explains terms: term -> explained somewhere; (flag, term) in order
        explained: dict[int, dict[tuple[str, ...], bool]] = {}
        terms: dict[int, list[tuple[Flag, tuple[str, ...]]]] = {}
        # per rule that explains terms: term -> the sentences it is used in
        asked_in: dict[int, dict[tuple[str, ...], set[int]]] = {}
        # per rule that explains terms: term -> the first heading sentence that names it
        headed: dict[int, dict[tuple[str, ...], int]] = {}
        faq_lines: dict[int, bool] = {}
        # an acronym a term is given in brackets ("standards-based grading (SBG)") -> the
        # (rule, term) pairs it names: explaining the acronym explains the term
        acronyms: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        # per rule without terms: (sentence, index in ``flags``, pattern) of its last flag
        last: dict[int, tuple[int, int, int]] = {}
        # (rule id, words) of matches read as part of a name in running text ("waivers for
        # Alternative Education and Innovative Programs"): the same capitalized words in a
        # heading or a list line ("Innovative Programs", "Innovative Program Waiver") are
        # that name too
        named: set[tuple[str, str]] = set()
        # per question sentence (its start): where its last clause break is (_answers_worry)
        openers: dict[int, int] = {}
        # a rule stops after MAX_FLAGS_PER_RULE flags (a text with more repeats one phrase
        # endlessly; the report would be unreadable and the check slow)
        done = [not a for a in active]
        counts = [0] * len(rules)
        norms = tokens.norm
        for number, matched_by, first, end in self._index.matches(tokens, done):
            if done[number]:
                continue
            rule = rules[number]
            start, stop = tokens.start[first], tokens.end[end - 1]
            sentence = None
            k = -1
            if sentences:
                k = bisect_right(sentence_starts, start) - 1
                if k >= 0:
                    sentence = sentences[k]
                    if stop > sentence.end:
                        continue  # runs from a heading or list line into the next sentence
            term: tuple[str, ...] = ()
            if rule.once_per_text or rule.explains:
                # one term per pattern and first word: "standards-based reporting" and
                # "standards-based report cards" are one term, flagged (or explained) once;
                # an acronym's plural too ("SBRCs" and "SBRC": the stemmer keeps that "s")
                term = (str(id(matched_by)), stem(norms[first]).removesuffix("s"))
                if rule.explains and k >= 0:
                    asked_in.setdefault(number, {}).setdefault(term, set()).add(k)
                    if _in_heading_or_link(text, start, stop):
                        headed.setdefault(number, {}).setdefault(term, k)
                        line_at = text.rfind("\n", 0, start) + 1
                        if line_at not in faq_lines:  # each heading line is read once
                            faq_lines[line_at] = _faq_title(text, start, stop)
                        if faq_lines[line_at]:
                            # "Proficiency-Based Grading FAQs": the page answers
                            # questions about the term
                            explained.setdefault(number, {})[term] = True
                seen = explained.setdefault(number, {})
                if rule.explains and _explains(rule, tokens, first, end, prose):
                    seen[term] = True
                    continue
                seen.setdefault(term, False)
                if rule.explains:
                    short = _acronym_after(tokens, end, text)
                    if short:
                        acronyms.setdefault(short, []).append((number, term))
            spans = taken.setdefault(number, [])
            # spans are disjoint and sorted: only the last one starting before `end` can
            # overlap (a scan of all of them made a long text with many flags quadratic)
            at = bisect_left(spans, end, key=_span_start)
            if at and spans[at - 1][1] > first:
                continue
            if rule.exceptions and _excepted(rule, tokens, first, end, self._exception_heads):
                continue
            if rule.skip_questions and sentence is not None and _answers_worry(
                    prose, sentence, stop, openers):
                continue
            if not prepared.is_quoted(start) and (
                (_names_a_program(text, start, stop)
                 or _in_name(text, start, stop, capitals_alone=False)
                 or _document_title(text, start, stop))
                if rule.explains
                else _in_name(text, start, stop)
            ):
                # "the Next Generation Learning Challenges", "Innovative School Models";
                # "Performance Assessment for Competency Education (PACE)"
                if not rule.explains:
                    named.add((rule.id, _name_key(text[start:stop])))
                continue
            spans.insert(at, (first, end))
            counts[number] += 1
            if counts[number] >= MAX_FLAGS_PER_RULE:
                done[number] = True
            line, column = prepared.line_col(start)
            matched = text[start:stop]
            quoted = prepared.is_quoted(start)
            pasteable = not quoted and not _in_heading_or_link(text, start, stop)
            flag = Flag(
                rule=rule.id,
                severity=rule.severity_for(aud),
                start=start,
                end=stop,
                line=line,
                column=column,
                text=matched,
                message=rule.message,
                suggestions=tuple(_fitted(x, matched, pasteable, text[stop:stop + 200])
                                  for x in rule.suggestions),
                finding=rule.finding,
                sources=rule.sources,
                quoted=quoted,
            )
            if term:
                terms.setdefault(number, []).append((flag, term))
            elif k >= 0 and last.get(number, (-1, 0, 0))[0] == k and (
                    last[number][2] != id(matched_by) or not rule.replaces) and \
                    flags[last[number][1]].quoted == quoted:
                # one rule, one sentence, one flag: "leverage their relationships … to
                # elicit higher levels of performance" and "embraced … in different ways
                # and to different degrees" are one weak phrase, so the flag covers both
                # matches (its replacements become advice: they fit neither part alone);
                # so is one worry said twice ("set your own goals, pick your own
                # projects"). The same wording twice in a rule with replacements ("a
                # rigorous plan and rigorous work") is two flags, each with its own.
                before = flags[last[number][1]]
                words = text[before.start:stop]
                flags[last[number][1]] = replace(
                    before, end=stop, text=words,
                    suggestions=tuple(_fitted(x, words, False) for x in rule.suggestions))
                continue
            if not term and k >= 0:
                last[number] = (k, len(flags), id(matched_by))
            flags.append(flag)
        # an FAQ question that names the term, answered by a next sentence that uses it
        # ("How are standards-based report cards different? On a standards-based report
        # card, …"): the text explains the term
        for number, used in asked_in.items():
            for term, where in used.items():
                if any(_is_question(prose, sentences[k]) and (
                        k + 1 in where or _answered_below(prose, sentences, k)) for k in where):
                    explained[number][term] = True
                # a heading that names the term, over a section that goes on to use it
                # ("Standards-Based Grading" / "Standards-based grading reports…"): the
                # section is about the term and explains it
                heading = headed.get(number, {}).get(term)
                if heading is not None and any(k > heading for k in where):
                    explained[number][term] = True
        if acronyms:
            # "… standards-based grading (SBG). SBG is an approach where …": the acronym's
            # own explanation explains the term it stands for
            for at, norm in enumerate(norms):
                if norm not in acronyms or (at and norms[at - 1] == "("):
                    continue  # the acronym where the term gives it is read with the term
                for number, term in acronyms[norm]:
                    # only a definition after it ("SBG is a way …", "SBG means …"): the
                    # words before an acronym say little about it
                    if not explained[number].get(term) and at + 1 < len(norms) and any(
                            pattern.match_at(tokens, at + 1) is not None
                            for pattern in rules[number].explain_after):
                        explained[number][term] = True
        if terms:
            # "This report card shows…", "The new grading system focuses on…": a text that
            # says what its report card, grading or scale does explains the term naming it
            described = _described_heads(prose) if any(
                rules[number].explains for number in terms) else set()
            if described:
                for number, found in terms.items():
                    if rules[number].explains:
                        for flag, term in found:
                            if _head_of(flag.text) in described:
                                explained[number][term] = True
            for number, found in terms.items():
                if rules[number].explains:
                    # a term the text keeps coming back to is its subject ("Standards-based
                    # grading" in the heading, then in two paragraphs): the text as a whole
                    # is about it, so it is not jargon dropped on the reader
                    lines: dict[tuple[str, ...], set[int]] = {}
                    for flag, term in found:
                        lines.setdefault(term, set()).add(flag.line)
                    for term, used_on in lines.items():
                        if len(used_on) >= SUBJECT_USES:
                            explained[number][term] = True
            dropped: set[int] = set()
            for number, found in terms.items():
                rule = rules[number]
                seen_terms: set[tuple[str, ...]] = set()
                for flag, term in found:
                    if explained[number].get(term) or (
                        rule.once_per_text and term in seen_terms
                    ):
                        dropped.add(id(flag))
                    if not flag.quoted:  # a quoted first use is someone else's: the
                        seen_terms.add(term)  # writer's own first use is still flagged
            flags = [f for f in flags if id(f) not in dropped]
        if named:
            flags = [f for f in flags if f.quoted or (f.rule, _name_key(f.text)) not in named]
        return flags

    def _long_sentence_flags(
        self, prepared: Prepared, summary: Readability, target: Target
    ) -> list[Flag]:
        if not self.config.enabled(LONG_SENTENCE) or not summary.long_sentences:
            return []
        whose = (
            "the general target"
            if target.audience is None
            else f"the target for {audience_phrase(target)}"
        )
        flags = []
        for s in summary.long_sentences:
            flags.append(
                Flag(
                    rule=LONG_SENTENCE,
                    severity="suggestion",
                    start=s.start,
                    end=s.end,
                    line=s.line,
                    column=s.column,
                    text=prepared.text[s.start : s.end],
                    message=(
                        f"This sentence has {s.words} words; {whose} is "
                        f"{target.max_sentence_words} or fewer. Split it into two or three."
                    ),
                    finding=self._long_finding,
                    sources=self._long_sources,
                    quoted=prepared.is_quoted(s.start),
                )
            )
        return flags

    def _apply_allow(self, tokens: Tokens, flags: list[Flag]) -> list[Flag]:
        allowed = [
            (tokens.start[first], tokens.end[end - 1])
            for _, _, first, end in self._allow_index.matches(tokens)
        ]
        if not allowed:
            return flags
        return [f for f in flags if not any(s < f.end and f.start < e for s, e in allowed)]


def _name_key(words: str) -> str:
    """A name's words, singular or plural alike ("Innovative Programs", "Innovative
    Program"); case is kept: only capitalized words are names."""
    return " ".join(words.split()).removesuffix("s")


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _suggestion_dict(suggestion: str) -> dict[str, Any]:
    out: dict[str, Any] = {"text": str(suggestion), "kind": getattr(suggestion, "kind", "advice")}
    if getattr(suggestion, "only_for", None):
        out["only_for"] = sorted(suggestion.only_for)  # type: ignore[attr-defined]
    if getattr(suggestion, "only_before", None):
        out["only_before"] = sorted(suggestion.only_before)  # type: ignore[attr-defined]
    return out


def _suggestion_from(data: Any) -> Suggestion:
    if isinstance(data, dict):
        return Suggestion(
            str(data["text"]), str(data.get("kind", "advice")), data.get("only_for", ()),
            data.get("only_before", ()),
        )
    return Suggestion(str(data))


#: how many words after the flagged ones a replacement's ``only_before`` words may come
BEFORE_WORDS = 3


def _ends_clause(after: str) -> bool:
    """The flagged words end their clause ("every lesson stays rigorous.", "it is rigorous,
    and …"): a replacement said of the subject fits whatever the noun."""
    return not after.strip() or after.lstrip()[:1] in ".,;:!?)\"”’"


def _fitted(suggestion: Suggestion, matched: str, pasteable: bool, after: str = ""
            ) -> Suggestion:
    """The suggestion for one flag: a replacement gets the case of the flagged words;
    where it cannot be pasted (inside a quotation, a heading or a link) or does not fit
    the flagged words or what follows them (``after``: the caller passes a short window of
    the text after the flag, so this stays linear), it is advice."""
    if suggestion.kind != "replacement":
        if len(suggestion.split()) <= 4:  # a short phrase takes the case of the flagged words
            return Suggestion(match_case(str(suggestion), matched), "advice")
        return suggestion
    text = match_case(str(suggestion), matched)
    fits = not suggestion.only_for or _plain(matched) in suggestion.only_for
    if fits and suggestion.only_before and not _ends_clause(after):
        following = re.findall(r"[\w'’-]+", after)[:BEFORE_WORDS]
        fits = any(_plain(word) in suggestion.only_before for word in following)
    return Suggestion(text, "replacement" if pasteable and fits else "advice")


@dataclass(frozen=True)
class SpeechCues:
    """The words that introduce reported speech (toolkit/content/reported_speech.yaml).

    Reported speech counts as quoted, like a quotation: what someone "said that…",
    "expressed concerns that…", a banner "reading…" is their wording, not the writer's.
    """

    says: frozenset[str] = frozenset()
    says_that: frozenset[str] = frozenset()
    #: cue word -> the words that must follow it (right after, or one word later)
    about: Mapping[str, frozenset[str]] = field(default_factory=dict)
    displays: frozenset[str] = frozenset()
    #: "describe … as": what follows "as" (a few words later) is their wording
    describes: frozenset[str] = frozenset()
    #: "told the board that …": speech only before "that", right after or a few words on
    tells: frozenset[str] = frozenset()
    #: "according to X, …" / "…, according to X.": the sentence's claim is X's
    attributes: frozenset[str] = frozenset()

    @cached_property
    def cues(self) -> frozenset[str]:
        """Every word that may introduce reported speech (looked up once per token)."""
        return (self.says | self.says_that | frozenset(self.about) | self.displays
                | self.describes | self.tells | self.attributes)

    @classmethod
    def from_toolkit(cls, entries: Iterable[Any]) -> SpeechCues:
        says: set[str] = set()
        says_that: set[str] = set()
        about: dict[str, set[str]] = {}
        displays: set[str] = set()
        describes: set[str] = set()
        tells: set[str] = set()
        attributes: set[str] = set()
        for entry in entries:
            words = [w.lower() for w in entry.words]
            if entry.kind == "says":
                says.update(words)
            elif entry.kind == "says-that":
                says_that.update(words)
            elif entry.kind == "about":
                for word in words:
                    about.setdefault(word, set()).update(w.lower() for w in entry.then)
            elif entry.kind == "describes-as":
                describes.update(words)
            elif entry.kind == "tells":
                tells.update(words)
            elif entry.kind == "attributes":
                attributes.update(words)
            else:
                displays.update(words)
        return cls(frozenset(says), frozenset(says_that - says),
                   {w: frozenset(t) for w, t in about.items()}, frozenset(displays),
                   frozenset(describes), frozenset(tells), frozenset(attributes))

    def to_data(self) -> dict[str, Any]:
        return {"says": sorted(self.says), "says_that": sorted(self.says_that),
                "about": {w: sorted(t) for w, t in sorted(self.about.items())},
                "displays": sorted(self.displays), "describes": sorted(self.describes),
                "tells": sorted(self.tells), "attributes": sorted(self.attributes)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SpeechCues:
        return cls(frozenset(data.get("says", ())), frozenset(data.get("says_that", ())),
                   {w: frozenset(t) for w, t in (data.get("about") or {}).items()},
                   frozenset(data.get("displays", ())), frozenset(data.get("describes", ())),
                   frozenset(data.get("tells", ())), frozenset(data.get("attributes", ())))


def reported_speech(
    tokens: Tokens, sentences: Sequence[Sentence], speech: SpeechCues
) -> list[tuple[int, int]]:
    """Spans of reported speech: from the words that report it to the end of the sentence.

    Linear: the cue words are found by a set lookup per token (in C), then each cue is
    looked at once.
    """
    norms = tokens.norm
    n = len(norms)
    # "the department states that:" and a quotation
    spans: list[tuple[int, int]] = (
        _quoted_blocks(tokens, sentences) if ":" in norms else [])
    all_cues = speech.cues
    if not all_cues:
        return spans
    cues = list(compress(range(n), map(all_cues.__contains__, norms)))
    if not cues:
        return spans
    says, says_that, about = speech.says, speech.says_that, speech.about
    describes, tells, attributes = speech.describes, speech.tells, speech.attributes
    starts = [s.start for s in sentences]
    for i in cues:
        word = norms[i]
        # the subject before the verb's auxiliaries: "as we have said before, …"
        j = i - 1
        while j > 0 and norms[j] in _AUXILIARIES:
            j -= 1
        if word in says and i and (norms[i - 1] in _NOT_REPORTED or (
                j < i - 1 and norms[j] in _WRITER)):
            continue  # "we say", "I'd say", "needless to say", "let's say": the writer's own
        if j >= 0 and norms[j] in _WRITER and (word in tells or word in says_that):
            continue  # "I told her that …", "we believe that …": the writer's own claim
        nxt = norms[i + 1] if i + 1 < n else ""
        after = norms[i + 2] if i + 2 < n else ""
        if word in attributes:
            # "…, according to the senator." / "According to its backers, the model …":
            # what the sentence attributes to someone is theirs, not the writer's
            if nxt != "to" or not after:
                continue
            if i and norms[i - 1] == ",":
                k = bisect_right(starts, tokens.start[i - 1]) - 1
                if k >= 0 and sentences[k].start < tokens.start[i - 1]:
                    spans.append((sentences[k].start, tokens.start[i - 1]))
                continue
            comma = next((c for c in range(i + 2, min(i + 12, n))
                          if norms[c] == "," or norms[c] in _CLAUSE_END), -1)
            if comma < 0 or norms[comma] != "," or comma + 1 >= n:
                continue
            start = tokens.start[comma + 1]
            k = bisect_right(starts, start) - 1
            if k >= 0 and sentences[k].end > start:
                spans.append((start, sentences[k].end))
            continue
        if word in describes:
            # "Proponents describe the program as an innovative way …": what follows "as"
            # is theirs; "we describe it as …", "the department describes it as …" (a
            # release speaking for its own body) are the writer's own
            if i and norms[i - 1] in _FIRST_PERSON:
                continue
            j = next((k + 1 for k in range(i + 1, min(i + 7, n))
                      if norms[k] == "as" or norms[k] in _CLAUSE_END or norms[k] == ","), -1)
            if j < 0 or norms[j - 1] != "as" or j >= n:
                continue
            start = tokens.start[j]
            k = bisect_right(starts, start) - 1
            end = sentences[k].end if k >= 0 and sentences[k].end > start else tokens.end[j]
            spans.append((start, end))
            continue
        if word in says and nxt in _CLAUSE_END and i > 1:
            # "… would hurt high-achieving students, trustees and parents said.": the words
            # before the comma are what they said
            comma = next((c for c in range(i - 1, max(i - 7, 0), -1) if norms[c] == ","), -1)
            if comma > 0:
                k = bisect_right(starts, tokens.start[comma]) - 1
                if k >= 0 and sentences[k].start < tokens.start[comma]:
                    spans.append((sentences[k].start, tokens.start[comma]))
            continue
        if word in says and i > 1 and norms[i - 1] == ",":
            # "Still, the state did not set out to push districts …, said an executive
            # director at the department.": a speaker after the verb, then the sentence's
            # end; the words before the comma are what was said
            stop = next((k for k in range(i + 1, min(i + 16, n + 1))
                         if k == n or norms[k] in _CLAUSE_END or norms[k] == "?"), -1)
            if stop > i + 1 and not any(norms[k] in _CLAUSE_OPENERS or norms[k] in all_cues
                                        for k in range(i + 1, stop)):
                k = bisect_right(starts, tokens.start[i - 1]) - 1
                if k >= 0 and sentences[k].start < tokens.start[i - 1]:
                    spans.append((sentences[k].start, tokens.start[i - 1]))
                continue
        if word in says:
            j = i + 2 if nxt == "that" else i + 1
        elif word in says_that and nxt == "that":
            j = i + 2
        elif word in says_that and word not in about:
            continue  # "noted the date": only "… that" reports
        elif word in tells:
            # "told the board on Monday that …": "that" after at most four words, none
            # of them punctuation; "told reporters the plan …": a listener, then what was
            # said; "the report card tells you what …" is the writer's
            j = _clause_after(tokens, i + 1, ("that",))
            if j < 0:
                j = next((k + 1 for k in range(i + 1, min(i + 3, n))
                          if norms[k] in _LISTENERS), -1)
                if word != "told" and nxt in ("us", "me") and i and norms[i - 1] in _PEOPLE:
                    # "Teachers tell us PBG lets us …": people telling the writer; "the
                    # grades tell us …" is the writer's own sentence
                    j = i + 2
                elif j < 0 or word != "told":
                    continue
        elif word in about:
            then = about[word]
            if nxt in then:
                j = i + 2
            elif after in then and tokens.word[i + 1]:
                j = i + 3
            else:
                continue
            if j < n and norms[j] in ("for", "of") and norms[j - 1] in _POINTS:
                # "stressed the need for a tailored approach": the need is their point
                j += 1
            elif norms[j - 1] not in _ASKED and not _opens_clause(norms, j):
                # "raised concerns on social media that …": where they said it, then the
                # clause; "voiced opposition to a proposed shift to …": the writer names the
                # topic in their own words; only a clause ("… concerns that …") is speech
                j = _after_setting(tokens, j)
                if j < 0:
                    continue
        elif nxt in ("reading", "saying"):
            j = i + 2
        elif nxt == "that" and after in ("read", "reads", "said"):
            j = i + 3
        else:
            continue
        if j >= n:
            continue
        start = tokens.start[j]
        k = bisect_right(starts, start) - 1
        end = sentences[k].end if k >= 0 and sentences[k].end > start else tokens.end[j]
        spans.append((start, end))
    return spans


#: verbs that, with a colon, introduce a quotation ("the department states that:")
_QUOTING = frozenset((
    "says", "said", "states", "stated", "writes", "wrote", "notes", "noted", "explains",
    "explained", "reads", "declares", "declared", "reports", "reported"))


def _quoted_blocks(tokens: Tokens, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """A quotation introduced by a verb of saying and a colon ("In its report the department
    states that:" / "New Hampshire's goal is …"): to the end of the paragraph when it starts
    on a new line, else to the end of the sentence. Linear: each colon is looked at once."""
    norms, source_start = tokens.norm, tokens.start
    n = len(norms)
    breaks = list(compress(range(n), map("\n\n".__eq__, norms)))
    starts = [s.start for s in sentences]
    spans: list[tuple[int, int]] = []
    for c in compress(range(n), map(":".__eq__, norms)):
        if c + 1 >= n or not tokens.word[c + 1]:
            continue
        verb = c - 2 if c > 1 and norms[c - 1] == "that" else c - 1
        if verb < 0 or norms[verb] not in _QUOTING:
            continue
        if verb == 0 or not tokens.word[verb - 1]:
            continue
        first = source_start[verb - 1]
        k = bisect_right(starts, first) - 1
        if k < 0 or sentences[k].start == first:
            # "hawkeyemom22 wrote:" heads a forum post: the poster's own words follow
            continue
        start = source_start[c + 1]
        k = bisect_right(starts, start) - 1
        inside = k >= 0 and sentences[k].end > start
        sentence_end = sentences[k].end if inside else tokens.end[c + 1]
        if k >= 0 and sentences[k].start == start:
            # the quotation opens a new sentence (a new line): the paragraph is quoted
            b = bisect_right(breaks, c)
            last = breaks[b] - 1 if b < len(breaks) else n - 1
            spans.append((start, max(tokens.end[last], sentence_end)))
        else:
            spans.append((start, sentence_end))
    return spans


#: before a speaking verb ("say", "said"): the writer or the reader speaking, or not a report
#: at all ("we say", "you said", "I'd say", "needless to say", "let's say", "would say")
_NOT_REPORTED = frozenset((
    "we", "i", "you", "i'd", "we'd", "you'd", "to", "let", "would", "could", "should", "might",
    "may", "can", "will", "must", "do", "don't", "does", "doesn't", "did", "didn't"))
#: the writer speaking: what "I told her that …" or "we believe that …" says is the writer's
_WRITER = frozenset(("i", "we"))
#: between the writer and the speaking verb: "we have said", "I had already told them that"
_AUXILIARIES = frozenset(("have", "has", "had", "'ve", "'d", "already", "often", "always",
                          "also", "just", "repeatedly", "long", "never"))
#: what can follow a trailing "…, parents said"
_CLAUSE_END = frozenset((".", "!", ";", "\n\n", ""))
#: a describer who is the writer or the reader ("we describe it as …"), or the body a
#: press release speaks for ("The department describes the approach as …"): not reported
_FIRST_PERSON = frozenset((
    "we", "i", "you", "us", "department", "district", "school", "agency", "board", "office",
    "state", "division", "ministry", "program", "initiative", "network"))
#: who was "told" something in a news story ("told reporters the plan …")
_LISTENERS = frozenset((
    "reporters", "lawmakers", "legislators", "trustees", "board", "committee", "council",
    "crowd", "audience", "senators", "commissioners", "members", "journalists", "me",
    "him", "her", "them"))
#: people who "tell us" something (reported speech); "the report card tells us" is not
_PEOPLE = frozenset((
    "teachers", "parents", "families", "students", "employers", "members", "officers",
    "leaders", "superintendents", "principals", "educators", "counselors", "graduates",
    "colleges", "officials", "staff", "owners", "businesses", "they", "he", "she", "people",
    "kids", "children", "partners", "administrators", "universities"))
#: words that open reported speech after a cue ("asked whether", "concerns that")
_CLAUSE_OPENERS = frozenset(("that", "whether", "if", "how", "what", "why", "when", "who"))
#: what someone "stressed the need for / the importance of": the rest is their point
_POINTS = frozenset(("need", "needs", "importance", "value"))
#: what a reported question opens with ("asked whether / about …")
_ASKED = _CLAUSE_OPENERS | {"about"}
#: a preposition after "concerns …" that may still open a clause ("concerns about whether")
_TOPIC_PREPOSITIONS = frozenset(("about", "over", "regarding", "on", "around", "to", "with"))


#: where a worry was aired, between "concerns" and the clause ("… on social media that …")
_SETTING = frozenset(("on", "at", "in", "during", "online", "via", "through"))


def _after_setting(tokens: Tokens, j: int) -> int:
    """The first word of the clause after a short setting phrase at ``j`` ("on social media
    that …", "at Tuesday's meeting that …"), or -1."""
    if j >= len(tokens.norm) or tokens.norm[j] not in _SETTING:
        return -1
    return _clause_after(tokens, j + 1, ("that", "whether"))


def _clause_after(tokens: Tokens, start: int, openers: Sequence[str]) -> int:
    """The word after the first of ``openers`` among the five words from ``start`` ("told
    the board on Monday that …"), with no punctuation before it, or -1."""
    norms = tokens.norm
    for k in range(start, min(start + 5, len(norms))):
        if norms[k] in openers:
            return k + 1
        if not tokens.word[k]:
            return -1
    return -1


def _opens_clause(norms: Sequence[str], j: int) -> bool:
    """Whether the words at ``j`` open a reported clause: "that / whether …", or a topic
    preposition followed by one ("about whether", "over how")."""
    n = len(norms)
    if j < n and norms[j] in _CLAUSE_OPENERS:
        return True
    return (
        j + 1 < n and norms[j] in _TOPIC_PREPOSITIONS and norms[j + 1] in _CLAUSE_OPENERS
    )


_NAME_WORD = re.compile(r"[A-Z][\w'’&.-]*")
_ALL_WORDS = re.compile(r"[\w'’&.-]+")
#: lower-case words a proper name may hold ("Office of Innovation", "Leaders in Learning")
_NAME_JOINS = frozenset({"of", "for", "and", "in", "on", "the", "to", "a", "an", "&"})


def _in_name(text: str, start: int, stop: int, capitals_alone: bool = True) -> bool:
    """Whether ``text[start:stop]`` is part of a proper name in running text: every word
    of it capitalized, with a capitalized word just before it (not the sentence's first)
    or just after it, on a line that is not itself a title-case heading. With
    ``capitals_alone``, a span of several capitalized words inside a sentence is a name
    by itself ("won Innovative School Models grants"); a term of jargon written in
    capitals ("moving to Standards-Based Grading") is not: it needs a capitalized
    neighbour ("the Lakeview Standards-Based Grading Pilot Handbook")."""
    inside = _ALL_WORDS.findall(text[start:stop])
    # small joining words may sit inside a name: "the Office of Teaching and Learning"
    if not inside or not all(_NAME_WORD.fullmatch(w) for w in (inside[0], inside[-1])) or not all(
            _NAME_WORD.fullmatch(w) or w in _NAME_JOINS for w in inside):
        return False
    raw = text[max(0, start - 40) : start]
    before = raw.rstrip()
    if _ORGANIZATION_OF.search(before):
        return True  # "Issued by the Office of Innovative Learning Programs", even as a heading
    if _in_heading_or_link(text, start, stop):
        return False
    # a line break before the span starts a line: a name does not run on from the line above
    # ("# Welcome" then "Rigorous classes start Monday.")
    opens = not before or before[-1] in ".!?:\n\"“(\u2022-*" or "\n" in raw[len(before):]
    if capitals_alone and len(inside) > 1 and not opens:
        return True  # "won Innovative School Models grants"
    after = _ALL_WORDS.match(text, _skip_spaces(text, stop))
    if after and _NAME_WORD.fullmatch(after.group()):
        return True
    words = _ALL_WORDS.findall(before)
    if opens or not words or not _NAME_WORD.fullmatch(words[-1]) or len(words[-1]) < 2:
        return False
    if not before.endswith(words[-1]):
        return False
    ahead = before[: len(before) - len(words[-1])].rstrip()
    return bool(ahead) and ahead[-1] not in ".!?:\n\"“("


#: the start of an organization's name: capitalized words after it are the name
_ORGANIZATION_OF = re.compile(
    r"\b(?:Office|Department|Center|Centre|Division|Bureau|Institute|Council|Commission"
    r"|Network|Coalition|Alliance|Foundation|Partnership|Academy|Consortium)"
    r" (?:of|for)(?: the)?$"
)


#: a capitalized name running on and closed by its acronym: "… for Competency Education
#: (PACE)"; small joining words may sit inside the name
#: (words are separated by spaces only and a hyphen lives only inside a word, so there is
#: one way to read any input: no backtracking blow-up)
_NAME_PART = r"[A-Z][\w'’&]*(?:-[\w'’&]+)*"
_NAME_THEN_ACRONYM = re.compile(
    r"(?:\s+(?:for|of|and|in|on|the|to))*\s+" + _NAME_PART
    + r"(?:\s+(?:" + _NAME_PART + r"|for|of|and|in|on|the|to))*\s*\([A-Z]{2,8}\)"
)


def _names_a_program(text: str, start: int, stop: int) -> bool:
    """Whether a term written in capitals is part of a longer program name given with its
    acronym ("Performance Assessment for Competency Education (PACE)"): the name, not
    jargon the writer uses. The term alone with its acronym ("Standards-Based Grading
    (SBG)") is still the term."""
    inside = _ALL_WORDS.findall(text[start:stop])
    if not inside or not all(_NAME_WORD.fullmatch(w) for w in inside):
        return False
    return _NAME_THEN_ACRONYM.match(text, stop, min(len(text), stop + 120)) is not None


#: what a document's or resource's title ends with ("Family SBRC Presentation")
_DOCUMENT_WORD = re.compile(
    r"[ \t]+(?:Parent |Family |Student )?(?:Presentation|Guide|Handbook|Overview|Slides|"
    r"Slide Deck|Brochure|Packet|Toolkit|Webinar|Video|Flyer|Template|PDF|FAQs?)\b")
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,6}[ \t]+$")


def _document_title(text: str, start: int, stop: int) -> bool:
    """Whether a term written in capitals on a heading or link line is part of a document's
    title: after a school's acronym ("VUHS Proficiency Indicators and Learning
    Expectations") or before a document word ("Family SBRC Presentation", "Standards-Based
    Grading Parent Guide"): the title names the document, it does not use the term."""
    inside = _ALL_WORDS.findall(text[start:stop])
    if not inside or not all(_NAME_WORD.fullmatch(w) for w in inside):
        return False
    if not _in_heading_or_link(text, start, stop):
        return False
    before = text[max(0, start - 12):start]
    return bool(_ACRONYM_BEFORE.search(before) or _DOCUMENT_WORD.match(text, stop))


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _answered_below(prose: str, sentences: Sequence[Sentence], k: int) -> bool:
    """Whether sentence ``k`` is an FAQ heading asking what or how something is ("How is
    standards-based grading different from letter grades?") with its answer on the next
    line: a sentence that is not another question."""
    if k + 1 >= len(sentences):
        return False
    question, answer = sentences[k], sentences[k + 1]
    return (_WHAT_OR_HOW.match(prose, question.start) is not None
            and "\n" in prose[question.end : answer.start] and not _is_question(prose, answer))


#: an FAQ heading that asks what or how ("What's …", "How is …"), not "Whatever …"
_WHAT_OR_HOW = re.compile(r"(?:what|how)\b", re.IGNORECASE)


def _is_question(prose: str, sentence: Sentence) -> bool:
    """Whether a sentence ends with a question mark."""
    return prose[sentence.end - 1 : sentence.end] == "?"


#: a sentence opening with one of these states a worry in order to answer it
REBUTTAL_LABELS = ("myth:", "myth -", "myth –", "misconception:", "rumor:", "rumour:")


#: between a flag and its sentence's question mark: the question is a later clause of its
#: own ("… to become more rigorous; schools start asking, "What do we expect?"")
_QUESTION_OPENS = re.compile(r'[;:“]|(?<=[\s,])"(?=\w)')


def _answers_worry(prose: str, sentence: Sentence, stop: int | None = None,
                   openers: dict[int, int] | None = None) -> bool:
    """Whether a sentence is a question, or a myth being answered (FAQ and myth pages).
    With ``stop`` (where a flag ends): whether the flag is inside the question, not in a
    statement before a semicolon, a colon or a quoted question. ``openers`` caches, per
    sentence, where its last such break is (each sentence is read once however many flags
    it holds: linear time)."""
    if _is_question(prose, sentence):
        if stop is None:
            return True
        cache = openers if openers is not None else {}
        last = cache.get(sentence.start)
        if last is None:
            last = -1
            for m in _QUESTION_OPENS.finditer(prose, sentence.start, sentence.end):
                last = m.start()
            cache[sentence.start] = last
        return last < stop
    return prose[sentence.start : sentence.start + 16].lower().startswith(REBUTTAL_LABELS)


def _in_heading_or_link(text: str, start: int, stop: int) -> bool:
    """Whether the span is in a Markdown/HTML heading, a title-like line, or a link's text."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", stop)
    line = text[line_start : len(text) if line_end == -1 else line_end].strip()
    if line.startswith("#") or "<h" in text[max(0, line_start - 40) : start].lower():
        return True
    if line and line.rstrip("!")[-1:] not in ".!?:;,\"”)" and len(line) < 100:
        # a title-case line with no full stop is a heading; so is a slogan that ends
        # with "!" ("Reimagining the Student Experience!")
        words = [w for w in line.split() if w[:1].isalpha()]
        if words and sum(w[0].isupper() for w in words) * 2 > len(words):
            return True  # a title-case line with no full stop: a heading
    opening = text.rfind("[", line_start, start)
    if opening != -1 and text.rfind("]", opening, start) == -1:
        close = text.find("](", stop)
        if close != -1 and text.find("[", stop, close) == -1 and "\n" not in text[stop:close]:
            return True
    return False


_FAQ_TITLE = re.compile(
    r"(?i)\b(?:faqs?|faq[’']s|frequently asked questions|questions and answers|q ?& ?a"
    # "Competency-Based Learning at Ridgeview High: Questions from Families"
    r"|questions (?:from|for) (?:families|parents|students)|your questions(?: answered)?)\b")


def _faq_title(text: str, start: int, stop: int) -> bool:
    """Whether the heading line around ``start``..``stop`` titles an FAQ ("X FAQs",
    "Frequently Asked Questions about X")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", stop)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    return bool(_FAQ_TITLE.search(line))


def _opens_list(text: str, at: int) -> bool:
    """Whether ``text`` ends its line at ``at`` (just after a colon) and two or more
    short lines follow: a list or a legend."""
    line_end = text.find("\n", at)
    if line_end == -1 or text[at:line_end].strip():
        return False
    lines = [x.strip() for x in text[line_end + 1 : line_end + 600].split("\n")]
    following = [x for x in lines[:4] if x]
    return len(following) >= 2 and all(len(x) < 200 for x in following[:2])


_DASHES = frozenset(("—", "–", "-"))
_DASH_END = frozenset((".", "!", "?", ";", "\n\n"))
#: words that start a new clause after a dash, not an explanation of the term before it
_DASH_CLAUSE = frozenset(("and", "but", "or", "so", "because", "yet", "then", "which", "who"))


def _dash_explains(tokens: Tokens, at: int, need: int) -> bool:
    """Whether the dash at ``at`` opens an explanation of ``need`` or more words: closed by
    a second dash ("performance tasks — longer projects — count"), or running to the end of
    the sentence when it does not open a new clause ("… — and then …" does not explain)."""
    n = len(tokens.norm)
    words = 0
    for j in range(at + 1, min(n, at + 40)):
        norm = tokens.norm[j]
        if norm in _DASHES:
            return words >= need
        if norm in _DASH_END:
            break
        if not words and tokens.word[j] and norm in _DASH_CLAUSE:
            return False
        words += tokens.word[j]
    else:
        if at + 40 < n:
            return False
    return words >= need


#: the things a term of grading jargon names, by the last word of the term
_HEADS = {
    # a report card, the reporting and the grading of a standards-based scheme are one
    # practice to families: describing the report card explains the grading
    "card": "grading", "cards": "grading", "reporting": "grading",
    "grading": "grading", "grades": "grading", "scale": "scale", "scales": "scale",
    "system": "system", "indicators": "indicators", "descriptors": "indicators",
    # "This approach focuses on…" in a letter about the new report card
    "approach": "grading", "grade": "grading",
}
#: "this (new) report card shows / focuses on / breaks down …", "the purpose of the report
#: card is to …": the text says what the thing does
_DESCRIBED = re.compile(
    r"(?:(?:\b(?:this|the|our|these|that|each|a|an|your child's|your child’s)\s+"
    r"(?:new\s+|redesigned\s+|updated\s+|revised\s+|\w+[- ](?:based|referenced)\s+)?"
    # a bare plural at a line's start: "Report cards show where each student stands"
    r"|(?m:^)[ \t]*(?:[-*•][ \t]+)?(?-i:(?=[A-Z])))"
    r"(report\s+cards?|reporting|grading"
    r"(?:\s+system)?|system|scales?|indicators|descriptors|approach|grades?)\s+(?:will\s+|can\s+|also\s+"
    r"|is\s+designed\s+to\s+|is\s+meant\s+to\s+)?(?:shows?|tells?|breaks?\s+down"
    r"|focus(?:es)?\s+on|describes?|explains?|lists?|reports?\s+(?:on|how|what|each)"
    r"|measures?|helps?\s+(?:you|families|parents|students)|provides?|gives?"
    r"|communicates?|certif(?:y|ies)|reflects?|documents?|records?|represents?|indicates?)\b"
    r"|\b(?:the\s+)?(?:purpose|goal|aim)\s+of\s+(?:the|this|our)\s+(report\s+cards?|reporting"
    r"|grading(?:\s+system)?|system|scales?)\s+is\s+to\b)",
    re.IGNORECASE,
)


#: the text says in plain words how students are scored: "each test is now scored from 1 to 4
#: on each skill", "students are measured against a set of standards", "a score from 0 to 4
#: on each standard" — that is what standards-based grading means, so it explains the term
_SCORED = re.compile(
    r"\b(?:scored|graded|rated|marked|measured|assessed|evaluated|a\s+score|a\s+mark"
    r"|a\s+rating|a\s+level)\b[^.!?:\n]{0,50}?\b(?:on|against|according\s+to|for)\s+"
    r"(?:each|every|specific|the|their|a\s+set\s+of|how\s+(?:close|well)[^.!?:\n]{0,25}?)\s*"
    r"(?:[\w-]+\s+){0,2}?(?:standards?|skills?|learning\s+(?:goals?|targets?|standards?)"
    r"|competenc(?:y|ies)|proficienc(?:y|ies)|mastering)\b",
    re.IGNORECASE,
)


def _described_heads(prose: str) -> set[str]:
    """What the text describes the workings of ("report card", "grading", "scale" …)."""
    heads = {_head_of(m.group(1) or m.group(2)) for m in _DESCRIBED.finditer(prose)} - {""}
    if _SCORED.search(prose):
        heads.add("grading")
    return heads


def _head_of(term: str) -> str:
    """The thing a jargon term names: "standards-based report cards" -> "report card"."""
    words = [w.lower() for w in re.findall(r"[\w’']+", term)]
    if any(_HEADS.get(w) == "grading" for w in words):
        return "grading"  # "standards-based grading system", "report card system"
    return _HEADS.get(words[-1], "") if words else ""


def _is_gloss(tokens: Tokens, j: int, source: str) -> bool:
    """Whether the one word at ``j`` can gloss a term: lower case letters, three or more."""
    word = tokens.norm[j]
    written = source[tokens.start[j] : tokens.end[j]]
    return len(word) >= 3 and word.isalpha() and written.islower()


def _one_word_in_brackets(tokens: Tokens, end: int) -> bool:
    """Whether one word in brackets follows a term that ends at ``end`` ("… (PBGR)")."""
    return (
        end + 2 < len(tokens.norm)
        and tokens.norm[end] == "("
        and tokens.word[end + 1]
        and tokens.norm[end + 2] == ")"
    )


def _acronym_after(tokens: Tokens, end: int, source: str) -> str:
    """The acronym in brackets right after a term ("… grading (SBG)"), normalized, or ""."""
    if _one_word_in_brackets(tokens, end):
        raw = source[tokens.start[end + 1] : tokens.end[end + 1]]
        if 2 <= len(raw) <= 8 and raw.isalpha() and sum(c.isupper() for c in raw) >= 2:
            return tokens.norm[end + 1]
    return ""


#: a year in a citation
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def _explains(
    rule: CompiledRule, tokens: Tokens, first: int, end: int, source: str = ""
) -> bool:
    """Whether the term at ``first``..``end`` is explained right there (``source``: the
    text the token offsets point into, for a gloss's case)."""
    n = len(tokens.norm)
    if end < n:
        for pattern in rule.explain_after:
            if pattern.match_at(tokens, end) is not None:
                return True
        # "Proficiency-based graduation requirements (PBGR) are the set of …": an acronym
        # in brackets is read past, and what follows it can explain the term
        if end + 3 < n and _one_word_in_brackets(tokens, end):
            for pattern in rule.explain_after:
                if pattern.match_at(tokens, end + 3) is not None:
                    return True
        if rule.bracket_words and tokens.norm[end] == "(":
            words = 0
            gloss = cited = False
            for j in range(end + 1, min(n, end + 40)):
                norm = tokens.norm[j]
                if norm == ")":
                    # one word in lower case is a gloss ("summative (final)"); an acronym
                    # in capitals ("(SBG)") only names the term again
                    gloss = words == 1 and tokens.word[j - 1] and _is_gloss(tokens, j - 1, source)
                    break
                words += tokens.word[j]
                # a citation ("(assessment research, 2004-2010)", "(Smith et al.)") says
                # where the claim comes from, not what the term means
                cited = cited or _YEAR.fullmatch(norm) is not None or (
                    norm == "al" and tokens.norm[j - 1] == "et")
            if not cited and (words >= rule.bracket_words or gloss):
                return True
        # "… as one of four Performance Indicators:" at a line's end, over the lines that
        # list them: a legend, which explains the term
        if rule.bracket_words and tokens.norm[end] == ":" and _opens_list(source, tokens.end[end]):
            return True
        if (
            rule.bracket_words
            and tokens.norm[end] in _DASHES
            # a dash that opens the next line is a list bullet, not an explanation
            and "\n" not in source[tokens.end[end - 1] : tokens.start[end]]
            and _dash_explains(tokens, end, rule.bracket_words)
        ):
            return True
    for pattern in rule.explain_before:
        for _s, e in pattern.search(tokens, first - pattern.width, first):
            if e == first:
                return True
    return False


def _excepted(
    rule: CompiledRule,
    tokens: Tokens,
    first: int,
    end: int,
    heads: dict[int, dict[str, bool]] | None = None,
) -> bool:
    """Whether one of the rule's exceptions overlaps the match ``first``..``end``.

    ``heads``: per exception pattern (by id), which tokens pass its first test.
    """
    lo = first - rule.exception_width
    for pattern in rule.exceptions:
        memo = None if heads is None else heads.setdefault(id(pattern), {})
        for s, e in pattern.search(tokens, lo, end, memo):
            if s < end and first < e:
                return True
    return False


def apply_replacements(text: str, flags: Iterable[Flag]) -> tuple[str, list[Flag]]:
    """``text`` with each flag's first *replacement* put in place of the flagged words.

    Only replacements are applied (advice never is; a replacement inside a quotation, a
    heading or a link was already turned into advice). Overlapping flags: the earlier one
    wins. Returns the new text and the flags applied, in text order.
    """
    chosen: list[Flag] = []
    last_end = -1
    for flag in sorted(flags, key=lambda f: (f.start, -f.end)):
        if flag.quoted or not flag.replacements or flag.start < last_end:
            continue
        chosen.append(flag)
        last_end = flag.end
    parts: list[str] = []
    at = 0
    for flag in chosen:
        parts.append(text[at : flag.start])
        parts.append(flag.replacements[0])
        at = flag.end
    parts.append(text[at:])
    return "".join(parts), chosen


def _pattern_from(data: Any) -> Pattern:
    """A pattern saved by :meth:`Checker.to_data`: compiled nodes, or just its source text."""
    return Pattern.from_json(data) if isinstance(data, dict) else Pattern.compile(data)


def rule_hits(rule: CompiledRule, text: str) -> bool:
    """Whether ``rule`` alone flags ``text`` (used to test a rule against its examples).

    The whole engine runs (exceptions, explained terms, questions, sentence bounds), for
    whatever its audiences, and quoted matches count too.
    """
    alone = replace(rule, audiences=frozenset())
    checker = Checker([alone], config=CheckConfig(long_sentences=False))
    return bool(checker.check(text).flags)


def example_problems(rule: Any, compiled: CompiledRule, file: str, raw: Any = None,
                     line: int = 1) -> list[str]:
    """``file:line`` problems for each should-flag example ``compiled`` misses and each
    should-pass example it flags (the same test for toolkit rules and ``--rules`` files).
    ``raw`` is the rule as read (with line numbers), for the line of each example."""
    from toolkit.yamlio import line_of

    problems = []
    for key, examples, wanted in (("flag", rule.examples.flag, True),
                                  ("pass", rule.examples.pass_, False)):
        for index, sentence in enumerate(examples):
            if rule_hits(compiled, sentence) == wanted:
                continue
            at = line_of(raw, ("examples", key, index)) if raw is not None else line
            if wanted:
                problems.append(
                    f"{file}:{at}: rule '{rule.id}' does not flag its example "
                    f"{sentence!r}; check the patterns (a word~ pattern needs the whole word)")
            else:
                problems.append(
                    f"{file}:{at}: rule '{rule.id}' flags its should-pass example "
                    f"{sentence!r}; narrow the patterns or add an exception")
    return problems


def _apply_directives(prepared: Prepared, flags: list[Flag]) -> list[Flag]:
    """Drop flags inside ``<!-- mastery-disable … -->`` regions."""
    regions: list[tuple[int, int, frozenset[str]]] = []
    open_: dict[str, int] = {}  # rule id ("*" for all) -> start offset
    text = prepared.text
    for d in prepared.directives:
        names = d.rules or frozenset({"*"})
        if d.action == "disable":
            for name in names:
                open_.setdefault(name, d.end)
        elif d.action == "enable":
            targets = list(open_) if "*" in names else [n for n in names if n in open_]
            for name in targets:
                regions.append((open_.pop(name), d.start, frozenset({name})))
        else:
            line_start = text.rfind("\n", 0, d.start) + 1
            if d.action == "disable-next-line":
                nl = text.find("\n", d.end)
                line_start = len(text) if nl == -1 else nl + 1
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end == -1 else line_end
            regions.append((line_start, line_end, names))
    for name, start in open_.items():
        regions.append((start, len(text), frozenset({name})))
    if not regions:
        return flags
    kept = []
    for flag in flags:
        off = any(
            s <= flag.start < e and ("*" in names or flag.rule in names) for s, e, names in regions
        )
        if not off:
            kept.append(flag)
    return kept


# ------------------------------------------------------------- rule files
def _source_dict(source: Any) -> dict[str, Any]:
    return {"id": source.id, "title": source.title, "author": source.author, "year": source.year}


def _compile_rule(
    rule: Any,
    where: str,
    findings: Mapping[str, Mapping[str, str]],
    finding_sources: Mapping[str, tuple[Mapping[str, Any], ...]],
    pattern_lines: Sequence[int] | None = None,
    exception_lines: Sequence[int] | None = None,
) -> CompiledRule:
    problems: list[str] = []
    file, _, line = where.rpartition(":")

    def at(lines: Sequence[int] | None, index: int) -> str:
        if lines and index < len(lines) and file:
            return f"{file}:{lines[index]}"
        return where

    def compile_all(
        sources: Sequence[str], lines: Sequence[int] | None, what: str
    ) -> list[Pattern]:
        out = []
        for index, source in enumerate(sources):
            try:
                pattern = Pattern.compile(source)
                if what == "pattern":
                    PatternSet().add(0, pattern)
                out.append(pattern)
            except PatternError as exc:
                problems.append(f"{at(lines, index)}: rule '{rule.id}': {what} {index + 1}: {exc}")
        return out

    patterns = compile_all(rule.patterns, pattern_lines, "pattern")
    exceptions = compile_all(rule.exceptions, exception_lines, "exception")
    explain = getattr(rule, "explained_by", None)
    explain_after = compile_all(explain.after, None, "explanation") if explain else []
    explain_before = compile_all(explain.before, None, "explanation") if explain else []
    if rule.finding not in findings:
        problems.append(f"{where}: rule '{rule.id}': finding '{rule.finding}' does not exist")
    if problems:
        raise RuleFileError(problems)
    return CompiledRule(
        id=rule.id,
        message=rule.message,
        severity=rule.severity,
        severity_by_audience=dict(rule.severity_by_audience),
        audiences=frozenset(rule.audiences),
        patterns=tuple(patterns),
        exceptions=tuple(exceptions),
        suggestions=tuple(_typed(x) for x in rule.suggestions),
        finding=findings.get(rule.finding),
        sources=finding_sources.get(rule.finding, ()),
        where=where,
        once_per_text=bool(getattr(rule, "once_per_text", False)),
        explain_after=tuple(explain_after),
        explain_before=tuple(explain_before),
        bracket_words=explain.bracket_words if explain else 0,
        skip_questions=bool(getattr(rule, "skip_questions", False)),
    )


def _typed(suggestion: Any) -> Suggestion:
    """A rule file's suggestion: plain text is advice; {replacement: …} or {advice: …}."""
    if isinstance(suggestion, str):
        return Suggestion(suggestion, "advice")
    if getattr(suggestion, "replacement", None):
        return Suggestion(suggestion.replacement, "replacement", suggestion.only_for,
                          suggestion.only_before)
    return Suggestion(suggestion.advice, "advice")


def load_rule_file(
    path: Path,
    findings: dict[str, Mapping[str, str]],
    finding_sources: dict[str, tuple[Mapping[str, Any], ...]],
    source_info: dict[str, dict[str, Any]],
    audience_ids: set[str],
) -> list[CompiledRule]:
    """Read a user rule file: a list of rules, or ``{sources: …, findings: …, rules: …}``.

    New findings and sources are added to ``findings``/``source_info`` so rules
    can cite them. Raises :class:`RuleFileError` with ``file:line`` problems.
    """
    from pydantic import ValidationError

    from toolkit import models as m
    from toolkit.loader import _describe
    from toolkit.yamlio import LineList, YamlProblem, line_of, load_yaml_file

    name = str(path)
    if path.is_dir():
        raise RuleFileError([f"{name}:1: this is a folder, not a rule file"])
    try:
        data = load_yaml_file(path, display=name)
    except YamlProblem as exc:
        raise RuleFileError([str(exc)]) from None
    if data is None:
        raise RuleFileError([f"{name}:1: the rule file is empty"])
    sections: dict[str, Any] = {"rules": data}
    if isinstance(data, dict):
        unknown = [k for k in data if k not in ("rules", "findings", "sources")]
        if unknown:
            line = data.key_lines.get(unknown[0], 1) if hasattr(data, "key_lines") else 1
            raise RuleFileError(
                [f"{name}:{line}: unknown section '{unknown[0]}' (use rules, findings, sources)"]
            )
        sections = {k: data.get(k) for k in ("sources", "findings", "rules") if data.get(k)}
    problems: list[str] = []

    def items(key: str, model: type[Any]) -> list[tuple[Any, Any]]:
        raw_items = sections.get(key)
        if raw_items is None:
            return []
        if not isinstance(raw_items, list):
            line = getattr(raw_items, "line", 1) or 1
            problems.append(
                f"{name}:{line}: '{key}' must be a list of entries (each starting with '- ')"
            )
            return []
        out = []
        for index, raw in enumerate(raw_items):
            item_line = raw_items.item_lines[index] if isinstance(raw_items, LineList) else 1
            if not isinstance(raw, dict):
                problems.append(f"{name}:{item_line}: expected an entry with fields (key: value)")
                continue
            try:
                out.append((model.model_validate(raw), raw))
            except ValidationError as exc:
                for error in exc.errors():
                    problems.append(
                        f"{name}:{line_of(raw, tuple(error['loc']))}: {_describe(error)}"
                    )
        return out

    for source, _raw in items("sources", m.Source):
        source_info[source.id] = _source_dict(source)
    for finding, raw in items("findings", m.Finding):
        missing = [s for s in finding.sources if s not in source_info]
        for s in missing:
            problems.append(f"{name}:{line_of(raw, ('sources',))}: source '{s}' does not exist")
        findings[finding.id] = {
            "id": finding.id,
            "title": finding.title,
            "summary": finding.summary,
        }
        finding_sources[finding.id] = tuple(
            source_info[s] for s in finding.sources if s in source_info
        )
    compiled: list[CompiledRule] = []
    seen: set[str] = set()
    for rule, raw in items("rules", m.Rule):
        line = getattr(raw, "line", 1)
        if rule.id in seen:
            problems.append(f"{name}:{line}: duplicate rule id '{rule.id}'")
            continue
        seen.add(rule.id)
        for key in ("severity_by_audience", "audiences"):
            for aud in getattr(rule, key):
                if aud not in audience_ids:
                    problems.append(
                        f"{name}:{line_of(raw, (key,))}: rule '{rule.id}': unknown audience '{aud}'"
                    )
        pattern_lines = getattr(raw.get("patterns"), "item_lines", None)
        exception_lines = getattr(raw.get("exceptions"), "item_lines", None)
        try:
            one = _compile_rule(
                rule, f"{name}:{line}", findings, finding_sources, pattern_lines, exception_lines
            )
        except RuleFileError as exc:
            problems.extend(exc.problems)
            continue
        compiled.append(one)
        problems.extend(example_problems(rule, one, name, raw, line))
    if problems:
        raise RuleFileError(problems)
    if not compiled and "rules" in sections:
        raise RuleFileError([f"{name}:1: no rules found"])
    return compiled


__all__ = [
    "LONG_SENTENCE",
    "SEVERITIES",
    "AudienceInfo",
    "CheckConfig",
    "Checker",
    "CompiledRule",
    "Flag",
    "Report",
    "RuleFileError",
    "Suggestion",
    "apply_replacements",
    "match_case",
    "replace",
    "field",
]
