"""Text analysis for the FAQ matcher: words, stems, domain concepts, typo repair.

Language data only lives here (a small English stop-word list); the domain's
words — which terms mean the same idea — come from the toolkit's
``synonyms.yaml`` and glossary, so an agency can adapt them without code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import snowballstemmer

from toolkit.words import OTHER_LANGUAGE_WORDS, fold

#: Common English words that carry no topic (articles, pronouns, auxiliaries,
#: question words, contraction fragments). Plain language data, not content.
_STOP_TEXT = """
    a about above after again against all also am an and any anyway are aren arent as at
    be because been before being below between both but by can cant cannot could couldn
    couldnt d did didn didnt do does doesn doesnt doing don dont down during each either
    else even ever every few for from further get gets getting got had hadn hadnt has hasn
    hasnt have haven havent having he hed hes her here hers herself him himself his how
    hows i id ill im ive if in into is isn isnt it its itself just ll let lets like m ma
    me might mightn more most much must mustn my myself need needs no nor not now o of off
    ok okay on once one only or other our ours ourselves out over own please re really
    s say says shall shan she shes should shouldn shouldnt so some someone something
    such t than that thats the their theirs them themselves then there theres these they
    theyd theyll theyre theyve thing things this those though through to too u under
    until up upon us ve very was wasn wasnt we wed well were weren werent weve what whats
    when whens where wheres whether which while who whos whom why whys will with won wont
    would wouldn wouldnt y yeah yes yet you youd youll your youre yours yourself
    yourselves youve anything everything nothing hi hello hey thanks thank lol
    guess tell know think want wondering wonder question questions
    actually basically exactly anyway anyways honestly literally simply totally seriously
    probably maybe perhaps certainly definitely sure kind sort stuff lot lots bit whole
    go goes going went gone come comes coming came make makes making made take takes
    way ways mean means meant look looks looking seem seems seemed use used using
    said saying see seen try trying tried keep keeps kept put puts give gives gave
    already still always never often sometimes usually else instead rather quite enough
    many few several lot new old good bad big small little great right wrong
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_POSSESSIVE = re.compile(r"['’](s|t|ll|re|ve|d|m)$")
#: "GPAs", "IEPs": the plural of an acronym written in capitals is the acronym
_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,6})[’']?s\b")
#: "4s", "10s": a plural of a number is the number
_NUMBER_PLURAL = re.compile(r"^(\d+)s$")
#: a capital letter grade as written: "an A", "B+", "straight A's", "As and Bs"
_LETTER_GRADE = re.compile(r"(?<![\w'’])([A-F])(?:[+-]|['’]?s)?(?![\w'’])")
_SENTENCE_END = frozenset(".!?:;\n\"(¿¡")
#: a quotation mark right after a lone capital letter closes a quoted letter grade
_CLOSING_QUOTES = frozenset("\"'”’")
#: words a number names a course or part of ("algebra 1", "unit 4", "period 3"):
#: there the number is not a level of a grading scale
COURSE_WORDS: frozenset[str] = frozenset({
    "algebra", "geometry", "calculus", "precalculus", "trigonometry", "statistics", "math",
    "maths", "english", "ela", "spanish", "french", "german", "chinese", "latin", "biology",
    "chemistry", "physics", "science", "history", "unit", "chapter", "lesson", "module",
    "period", "room", "semester", "quarter",
})
#: the token a letter grade becomes ("A" would otherwise be read as the article)
LETTER_GRADE = "lettergrade"

#: function words of other languages, and accent folding: shared with the checker
#: (toolkit/words.py)
FOREIGN_WORDS: frozenset[str] = OTHER_LANGUAGE_WORDS


#: Topic words of the other languages families write in (Spanish above all, then
#: Portuguese and French), each with the English words the toolkit uses for it. Plain
#: language data, not a translator: a question in another language gets the English-only
#: reply, and these words find the closest English topics to offer with it. Written
#: accent-free (questions are folded the same way before lookup).
_TRANSLATION_TEXT = """
    calificacion grade | calificaciones grades | nota grade | notas grades
    calificar grade | califican grade | calificaran grade | calificara grade | califica grades
    calificado graded | calificada graded | calificados graded | calificando grading
    evaluar assess | evaluan assess | evaluado assessed | evaluados assessed
    boleta report card | libreta report card | reporte report | informe report
    estandar standard | estandares standards | normas standards
    competencia competency | competencias competencies | dominio mastery
    dominar master | maestria mastery | aprendizaje learning | aprender learn
    examen test | examenes tests | prueba test | pruebas tests | evaluacion assessment
    evaluaciones assessments | repetir retake | recuperar retake | volver retake
    tomar take | presentar take
    reprobo failed | reprobar fail | reprobado failed | aprobar pass | aprobo passed
    tarea homework | tareas homework | deberes homework
    maestro teacher | maestra teacher | maestros teachers | profesor teacher
    profesores teachers | docentes teachers | padres parents | familias families
    universidad college | universidades colleges | admision admission
    credito credit | creditos credits | graduacion graduation | graduarse graduate
    diploma diploma | promedio gpa | nivel level | niveles levels | escala scale
    significa mean | significado meaning | quiere mean | decir say
    letras letter grades | letra letter grade | tecnologia technology
    computadora computer | computadoras computers | pantalla screen | ritmo pace
    avanzar move ahead | adelantarse move ahead | ayuda help | apoyo support
    dificultades struggling | atrasado behind | especial special | discapacidad disability
    dotados gifted | avanzados advanced | plazos deadlines | fecha deadline
    limite deadline | entregar turn in | tarde late | cambio change | cambiar change
    costo cost | dinero money | investigacion research | funciona work
    funcionan work | habitos habits | comportamiento behavior | esfuerzo effort
    primaria elementary | secundaria high school | preparatoria high school
    proficiente proficient | competente proficient | basado based | basada based
    basadas based | basados based
    justo fair | injusto unfair | rango rank | cuadro honor roll | honor honor
    vacio blank | vacios blank | blanco blank | aprendizajes learning
    avaliacao assessment | avaliacoes assessments | ensino teaching | boletim report card
    notas grades | prova test | provas tests | competencias competencies | professor teacher
    professores teachers | faculdade college | escola school | aprendizagem learning
    baseado based | baseada based | significa mean | dever homework | licao homework
    bulletin report card | notes grades | competences competencies | examen test
    apprentissage learning | devoirs homework | enseignant teacher | universite college
"""
TRANSLATIONS: dict[str, str] = {
    fold(word): english
    for word, _, english in (
        pair.strip().partition(" ") for pair in _TRANSLATION_TEXT.replace("\n", "|").split("|")
    )
    if word
}


def to_english_topics(text: str) -> str:
    """The English topic words of a question written in another language, in order (numbers
    kept: "un 3 en la boleta" -> "3 report card"); "" when it has none."""
    out: list[str] = []
    for word in re.findall(r"[a-z0-9]+", fold(text)):
        if word.isdigit():
            out.append(word)
        elif word in TRANSLATIONS:
            english = TRANSLATIONS[word]
            if out and out[-1] == "based":  # "basado en competencias": competency based
                out[-1:] = [english, "based"]
            else:
                out.append(english)
    for match in re.finditer(r"(?<![\w'’])[A-F][+-]?(?![\w'’])", text):  # "A, B y C"
        k = match.start() - 1
        while k >= 0 and text[k] in " \t":  # only the spaces just before it: linear
            k -= 1
        if k >= 0 and text[k] not in _SENTENCE_END:  # not "¿A qué hora…?"
            out.append("letter grades")
            break
    return " ".join(out)


#: Report-card level codes as districts print them ("ME, PR and NY", "an AE"), with the
#: words they stand for. Only read as codes in capitals, and only when the question has two
#: different ones or asks what one means: "ME" and "AP" are also words and courses.
LEVEL_CODES: Mapping[str, str] = {
    "EX": "exceeds", "EE": "exceeds expectations", "ES": "exceeds standard",
    "ME": "meets expectations", "MS": "meets standard", "MT": "meets",
    "PR": "progressing", "PM": "partially meets", "AE": "approaching expectations",
    "AS": "approaching standard", "AP": "approaching", "IP": "in progress",
    "BE": "below expectations", "BS": "beginning", "NY": "not yet", "NM": "not meeting",
    "NE": "not enough evidence", "IE": "insufficient evidence", "NI": "needs improvement",
}
_CODE = re.compile(r"(?<![\w'’])(" + "|".join(LEVEL_CODES) + r")(?:['’]?s)?(?![\w'’])")
_ASKS_MEANING = re.compile(r"\b(mean|means|meaning|stand for|stands for)\b", re.IGNORECASE)


def _level_codes(text: str) -> str:
    """Report-card level codes ("what do ME, PR and NY mean?") as the words they stand for.
    Linear in the length of ``text``."""
    if text.isupper():
        return text
    found = {match.group(1) for match in _CODE.finditer(text)}
    if not found or (len(found) < 2 and not _ASKS_MEANING.search(text)):
        return text
    return _CODE.sub(lambda match: f" {LEVEL_CODES[match.group(1)]} ", text)


def _letter_grades(text: str) -> str:
    """Capital letter grades ("an A", "B+", "straight A's") as :data:`LETTER_GRADE`.

    A bare capital letter that opens a sentence stays a word ("A 4 is fine"); in text
    written all in capitals nothing is replaced (there "A" is just as likely the article).
    Linear in the length of ``text``.
    """
    if text.isupper() or _LETTER_GRADE.search(text) is None:
        return text

    def swap(match: re.Match[str]) -> str:
        if match.group() == match.group(1):  # a bare letter: not at a sentence start
            k = match.start() - 1
            while k >= 0 and text[k] in " \t":
                k -= 1
            quoted = text[match.end():match.end() + 1] in _CLOSING_QUOTES  # '"A"' is a grade
            if (k < 0 or text[k] in _SENTENCE_END) and not quoted:
                return match.group()
        return f" {LETTER_GRADE} "

    return _LETTER_GRADE.sub(swap, text)


def words(text: str) -> list[str]:
    """The words of ``text``: lower-case letters and digits, apostrophes folded.

    "kid's" -> "kid", "don't" -> "dont", "mastery-based" -> "mastery", "based",
    "4s" -> "4", and a capital letter grade ("an A", "B+") -> :data:`LETTER_GRADE`.
    """
    return list(_words(text))


@lru_cache(maxsize=64)
def _words(text: str) -> tuple[str, ...]:
    # one question's words are asked for several times while it is answered
    out: list[str] = []
    if "s" in text:
        text = _ACRONYM_PLURAL.sub(r"\1", text)  # "GPAs" -> "GPA", "IEPs" -> "IEP"
    for match in _WORD.finditer(fold(_letter_grades(_level_codes(text)))):
        word = match.group()
        if _POSSESSIVE.search(word) and word.endswith(("'s", "’s")):
            word = word[:-2]
        else:
            word = word.replace("'", "").replace("’", "")
        plural = _NUMBER_PLURAL.match(word)
        if plural:
            word = plural.group(1)
        if word.isdigit() and out and out[-1] in COURSE_WORDS:
            continue  # "algebra 1", "unit 4": part of a name, not a level
        out.append(word)
    return tuple(out)


class Analyzer:
    """Turns text into index terms: stems of content words plus concept tokens.

    A concept token (``~seat-time``) stands for every term of one synonym group.
    Terms are matched as phrases, longest first, on stems (so "retaking a test"
    and "retakes" reach the same concept) in two passes: first terms that
    contain common words ("in the loop", "more work") on the words as written,
    then the rest on the content words, with the common words dropped.
    """

    def __init__(self, groups: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        self._stems: dict[str, str] = {}
        #: first stem -> [(stem tuple, concept)], longest phrase first
        self._with_stop: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._content: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.concepts: dict[str, tuple[str, ...]] = {}
        #: every content stem that is part of some synonym term (known words, not typos)
        self.phrase_stems: set[str] = set()
        taken: set[tuple[bool, tuple[str, ...]]] = set()
        for group_id, terms in groups:
            concept = f"~{group_id}"
            kept: list[str] = []
            for term in terms:
                raw = words(term)
                full = tuple(self.stem(w) for w in raw)
                content = tuple(self.stem(w) for w in raw if w not in STOP_WORDS)
                self.phrase_stems.update(content)
                added = False
                if full != content and full and (True, full) not in taken:
                    taken.add((True, full))
                    self._with_stop.setdefault(full[0], []).append((full, concept))
                    added = True
                if (
                    content
                    and (full == content or len(content) >= 2)
                    and (False, content) not in taken
                ):
                    taken.add((False, content))
                    self._content.setdefault(content[0], []).append((content, concept))
                    added = True
                if added:  # the first group that claims a phrase keeps it
                    kept.append(term)
            if kept:
                self.concepts[concept] = tuple(kept)
        for table in (self._with_stop, self._content):
            for options in table.values():
                options.sort(key=lambda item: -len(item[0]))

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word)
            if word.endswith(("ator", "ators")) and len(word) > 6:
                # a person is not the activity: Snowball gives "educator" and "education"
                # one stem, which put "education" in the teachers' synonym group
                stem += "~or"
            if len(self._stems) < 200_000:
                self._stems[word] = stem
        return stem

    def content_words(self, text: str) -> list[str]:
        return [w for w in words(text) if w not in STOP_WORDS]

    @staticmethod
    def _match(
        stems: Sequence[str], i: int, table: dict[str, list[tuple[tuple[str, ...], str]]]
    ) -> tuple[int, str] | None:
        for key, concept in table.get(stems[i], ()):
            if tuple(stems[i : i + len(key)]) == key:
                return len(key), concept
        return None

    def terms_of_words(self, raw: Sequence[str]) -> list[str]:
        """Index terms of a word sequence (as returned by :func:`words`)."""
        stems = [self.stem(w) for w in raw]
        # pass 1: phrases containing common words, on every word
        chunks: list[list[str] | str] = []  # runs of content stems, or a concept
        run: list[str] = []
        i = 0
        while i < len(stems):
            found = self._match(stems, i, self._with_stop) if self._with_stop else None
            if found is not None:
                if run:
                    chunks.append(run)
                    run = []
                chunks.append(found[1])
                i += found[0]
                continue
            if raw[i] not in STOP_WORDS:
                run.append(stems[i])
            i += 1
        if run:
            chunks.append(run)
        # pass 2: phrases of content words, within each run
        out: list[str] = []
        for chunk in chunks:
            if isinstance(chunk, str):
                out.append(chunk)
                continue
            j = 0
            while j < len(chunk):
                found = self._match(chunk, j, self._content)
                if found is not None:
                    out.append(found[1])
                    j += found[0]
                else:
                    out.append(chunk[j])
                    j += 1
        return out

    def terms(self, text: str) -> list[str]:
        return self.terms_of_words(words(text))
