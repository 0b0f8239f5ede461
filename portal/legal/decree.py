"""The Kazakh text of Decree No. 255 (as supplemented by Decree No. 418), parsed for the `/rules` page.

The shipped file `decree-255-rules.kk.txt` is the seed text byte for byte (rules.md 0.1, S1). Its layout:

1. the decree's title (hard-wrapped lines), a blank line, the act line "... № 255 Жарлығы.";
2. the enacting formula "ҚАУЛЫ ЕТЕМІН:" and the decree's own paragraphs 1-3 (anchors `decree-1`..).
   Paragraph 2 amends two earlier decrees; its sub-items "1) ... № 520 :Жарлығында" and
   "2) ... № 141 :Жарлығында" become amendments (anchors `amend-520`, `amend-141`). The restated
   clauses they quote ("1. ...", "1) ...") stay text of the amendment, never clauses of the Rules;
3. the signature, the approval stamp ("... № 255 Жарлығымен БЕКІТІЛГЕН") and the title of the Rules;
4. the Rules: chapter headings "1-тарау. ..." / "2-1 тарау. ..." (anchors `ch-1`, `ch-2-1`), an
   editorial note ("Ескерту. ...") where a chapter was added, clauses "13-2. ..." (`cl-13-2`) and
   their numbered sub-items "1) ..." (`cl-18-item-1`; not `cl-13-1`, which is a clause).

A logical paragraph starts on an indented line; unindented lines continue it, across the runs of
blank lines that the export left in the middle of sentences (page breaks). Hard wraps are joined
with one space, or with none where the wrap split "16-" / "бабы", "52" / "-бабы", "(" / "бұдан",
an opening quote, or stood before "," ";" "." (rules.md 0.3 lists the export's defects).
Nothing else is changed: displaced words, double spaces and typos are kept as published, and the
non-space characters of `Decree.plain_text()` are exactly those of the file, in the same order.

The parser is written for this file's real structure and fails loudly (`DecreeParseError`) rather
than guess when the structure differs.
"""

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

__all__ = [
    "DECREE_RESOURCE",
    "Amendment",
    "Chapter",
    "Clause",
    "Decree",
    "DecreeParagraph",
    "DecreeParseError",
    "Paragraph",
    "load_decree",
    "load_decree_text",
    "parse_decree",
]

#: The Kazakh text shipped inside this package (package data, see pyproject `**/*.txt`).
DECREE_RESOURCE = "decree-255-rules.kk.txt"

_ENACTING_FORMULA = "ҚАУЛЫ ЕТЕМІН:"
_APPROVED = "БЕКІТІЛГЕН"
#: "1-тарау. Жалпы ережелер", "2-1 тарау. Іріктеу ..." (the seed spells chapter 2-1 without the hyphen).
_CHAPTER = re.compile(r"^(\d+(?:-\d+)?)(?:-|\s)тарау\.\s+(\S.*)$")
#: A numbered paragraph of the decree or a clause of the Rules: "3. ", "13-2. ".
_NUMBERED = re.compile(r"^(\d+(?:-\d+)?)\.\s")
#: A numbered sub-item: "1) ", "11) ".
_ITEM = re.compile(r"^(\d+)\)\s")
#: The head of an amendment in decree paragraph 2: "1) "..." ... 2013 жылғы 7 наурыздағы № 520 :Жарлығында".
_AMENDMENT = re.compile(r"^(\d+)\)\s.*№\s*(\d+)\s*:?\s*Жарлығында$")
#: A wrap before these characters is not a space: ", мемлекеттік", "-бабы", a lone ";" or ".".
_NO_SPACE_BEFORE = (",", ".", ";", ":", ")", "-")


class DecreeParseError(ValueError):
    """The text does not have the structure this parser was written for."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One logical paragraph as published (hard wraps joined), with its leading marker kept in `text`."""

    #: The paragraph as published, e.g. "6. Өңірлік резервке ...:" or "1) кандидаттардың ...;".
    text: str
    #: The 1-based line of the source file where the paragraph starts.
    line: int
    #: The leading number: "6.", "13-2.", "1)"; None for an unnumbered paragraph or quoted text.
    marker: str | None = None
    #: The URL fragment of a numbered sub-item of a clause ("cl-18-item-11"); None elsewhere.
    anchor: str | None = None

    @property
    def body(self) -> str:
        """The text without its leading marker."""
        if self.marker is None:
            return self.text
        return self.text[len(self.marker) :].lstrip()

    @property
    def item(self) -> str | None:
        """The number of a sub-item ("1" for "1) ..."), else None."""
        if self.marker is None or not self.marker.endswith(")"):
            return None
        return self.marker[:-1]


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause (тармақ) of the Rules: "1" .. "18", with "13-1" .. "13-4" of chapter 2-1."""

    number: str
    #: "cl-13-2".
    anchor: str
    #: In order: the first starts with "N. "; sub-items have the marker "k)"; the others are
    #: further paragraphs (cl. 2, 6, 7, 10, 12).
    paragraphs: tuple[Paragraph, ...]

    @property
    def items(self) -> tuple[Paragraph, ...]:
        """The numbered sub-items "1)", "2)", ... (cl. 6, 8, 13, 18)."""
        return tuple(p for p in self.paragraphs if p.item is not None)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter (тарау) of the Rules."""

    #: "1", "2", "2-1", "3", "4".
    number: str
    #: "ch-2-1".
    anchor: str
    #: The heading as published: "2-1 тарау. Іріктеу жүргізілмей өңірлік резервке алу".
    heading: str
    #: The title alone: "Іріктеу жүргізілмей өңірлік резервке алу".
    title_kk: str
    #: Editorial notes before the first clause ("Ескерту. Қағида 2-1-тараумен толықтырылды ...").
    notes: tuple[Paragraph, ...]
    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class Amendment:
    """What decree paragraph 2 changes in an earlier decree (No. 520 or No. 141)."""

    #: The sub-item of paragraph 2: "1", "2".
    item: str
    #: The amended decree: "520", "141".
    act_number: str
    #: "amend-520".
    anchor: str
    #: The first is the head "1) ... № 520 :Жарлығында"; the rest, in order, include the quoted
    #: restated texts (their own "1.", "1)" numbering belongs to the amended act).
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class DecreeParagraph:
    """A paragraph of the decree itself (before the Rules): "1", "2", "3"."""

    number: str
    #: "decree-2".
    anchor: str
    paragraphs: tuple[Paragraph, ...]
    #: Only paragraph 2 has any: the amendments of Decrees 520 and 141, after `paragraphs`.
    amendments: tuple[Amendment, ...]


@dataclass(frozen=True, slots=True)
class Decree:
    """Decree No. 255: its own text, then the Rules it approves."""

    #: The decree's title (wraps joined).
    title: str
    #: "Қазақстан Республикасы Президентінің 2023 жылғы 15 маусымдағы № 255 Жарлығы."
    act: str
    #: "ҚАУЛЫ ЕТЕМІН:"
    enacting_formula: str
    paragraphs: tuple[DecreeParagraph, ...]
    #: "Қазақстан Республикасының Президенті Қ. Тоқаев"
    signature: str
    #: The approval stamp, one entry per published line, ending with "БЕКІТІЛГЕН".
    approval: tuple[str, ...]
    #: "... өңірлік кадр резервін қалыптастыру және одан тағайындау ҚАҒИДАЛАРЫ"
    rules_title: str
    chapters: tuple[Chapter, ...]
    #: SHA-256 of the source bytes (UTF-8), for a rule-version register (rules.md 0.4).
    sha256: str

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause of the Rules, in order."""
        return tuple(clause for chapter in self.chapters for clause in chapter.clauses)

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        return tuple(amendment for paragraph in self.paragraphs for amendment in paragraph.amendments)

    def clause(self, number: str) -> Clause:
        """The clause "13-2" etc.; KeyError when the Rules have no such clause."""
        for clause in self.clauses:
            if clause.number == number:
                return clause
        raise KeyError(number)

    def chapter(self, number: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.number == number:
                return chapter
        raise KeyError(number)

    def anchors(self) -> tuple[str, ...]:
        """Every URL fragment of the page, in document order."""
        return tuple(self._anchors())

    def _anchors(self) -> Iterator[str]:
        for paragraph in self.paragraphs:
            yield paragraph.anchor
            for amendment in paragraph.amendments:
                yield amendment.anchor
        for chapter in self.chapters:
            yield chapter.anchor
            for clause in chapter.clauses:
                yield clause.anchor
                for item in clause.items:
                    if item.anchor is not None:
                        yield item.anchor

    def plain_text(self) -> str:
        """The whole text, one logical paragraph (or stamp line) per line, in document order."""
        parts = [self.title, self.act, self.enacting_formula]
        for paragraph in self.paragraphs:
            parts.extend(p.text for p in paragraph.paragraphs)
            for amendment in paragraph.amendments:
                parts.extend(p.text for p in amendment.paragraphs)
        parts.append(self.signature)
        parts.extend(self.approval)
        parts.append(self.rules_title)
        for chapter in self.chapters:
            parts.append(chapter.heading)
            parts.extend(p.text for p in chapter.notes)
            parts.extend(clause.text for clause in chapter.clauses)
        return "\n".join(parts)


# --- reading -------------------------------------------------------------------------------------


def load_decree_text() -> str:
    """The shipped Kazakh text, exactly as in the file (bytes decoded, no newline translation)."""
    return resources.files(__package__).joinpath(DECREE_RESOURCE).read_bytes().decode("utf-8")


@cache
def load_decree() -> Decree:
    """The shipped decree, parsed once per process."""
    return parse_decree(load_decree_text())


# --- parsing -------------------------------------------------------------------------------------

type _Line = tuple[int, str]  # (1-based line number, raw line without the newline)


@dataclass(frozen=True, slots=True)
class _Unit:
    text: str
    line: int
    heading: bool = False


def _is_indented(raw: str) -> bool:
    return raw[:1].isspace()


def _join(text: str, previous_raw: str, continuation: str) -> str:
    """Append a wrapped continuation line to the paragraph so far (see the module docstring)."""
    if previous_raw[-1:].isspace():
        return f"{text} {continuation}"
    opening_quote = text.endswith('"') and text.count('"') % 2 == 1
    if text.endswith(("(", "-")) or opening_quote or continuation.startswith(_NO_SPACE_BEFORE):
        return text + continuation
    return f"{text} {continuation}"


def _join_lines(lines: Sequence[_Line]) -> str:
    text = lines[0][1].strip()
    for (_, previous), (_, raw) in pairwise(lines):
        text = _join(text, previous, raw.strip())
    return text


def _units(lines: Sequence[_Line], is_heading: Callable[[str], bool] = lambda _: False) -> list[_Unit]:
    """Logical paragraphs: an indented line starts one, unindented lines continue it, blanks are skipped.

    An unindented line for which `is_heading` holds stands alone (chapter headings).
    """
    groups: list[tuple[bool, list[_Line]]] = []
    for number, raw in lines:
        stripped = raw.strip()
        if not stripped:
            continue
        if _is_indented(raw):
            groups.append((False, [(number, raw)]))
        elif is_heading(stripped):
            groups.append((True, [(number, raw)]))
        elif groups and not groups[-1][0]:
            groups[-1][1].append((number, raw))
        else:
            raise DecreeParseError(f"line {number}: unindented text where a paragraph should start")
    return [_Unit(_join_lines(group), group[0][0], heading) for heading, group in groups]


def _marker(text: str) -> str | None:
    match = _NUMBERED.match(text) or _ITEM.match(text)
    return match.group(0).rstrip() if match else None


def _paragraph(unit: _Unit, anchor: str | None = None) -> Paragraph:
    return Paragraph(text=unit.text, line=unit.line, marker=_marker(unit.text), anchor=anchor)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("-"))


def _index(lines: Sequence[_Line], predicate: Callable[[str], bool], start: int = 0) -> int:
    for index in range(start, len(lines)):
        if predicate(lines[index][1]):
            return index
    raise DecreeParseError(f"expected structure not found after line {start + 1}")


def _blank_separated(lines: Sequence[_Line]) -> list[list[_Line]]:
    groups: list[list[_Line]] = [[]]
    for line in lines:
        if line[1].strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _is_chapter_heading(raw: str) -> bool:
    return not _is_indented(raw) and _CHAPTER.match(raw.strip()) is not None


# decree paragraphs and amendments


@dataclass(slots=True)
class _OpenAmendment:
    item: str
    act_number: str
    paragraphs: list[Paragraph]

    def close(self) -> Amendment:
        return Amendment(self.item, self.act_number, f"amend-{self.act_number}", tuple(self.paragraphs))


@dataclass(slots=True)
class _OpenDecreeParagraph:
    number: str
    paragraphs: list[Paragraph]
    amendments: list[_OpenAmendment]

    def close(self) -> DecreeParagraph:
        return DecreeParagraph(
            number=self.number,
            anchor=f"decree-{self.number}",
            paragraphs=tuple(self.paragraphs),
            amendments=tuple(amendment.close() for amendment in self.amendments),
        )


def _decree_paragraphs(units: Sequence[_Unit]) -> tuple[DecreeParagraph, ...]:
    """Paragraphs "1." "2." "3." of the decree; text inside an open quotation never starts one."""
    result: list[_OpenDecreeParagraph] = []
    quotes = 0
    for unit in units:
        quoted = quotes % 2 == 1
        quotes += unit.text.count('"')
        numbered = None if quoted else _NUMBERED.match(unit.text)
        amendment = None if quoted else _AMENDMENT.match(unit.text)
        if numbered:
            number = numbered.group(1)
            if result and _number_key(number) <= _number_key(result[-1].number):
                raise DecreeParseError(f"line {unit.line}: decree paragraph {number} out of order")
            result.append(_OpenDecreeParagraph(number, [_paragraph(unit)], []))
        elif not result:
            raise DecreeParseError(f"line {unit.line}: text before the first decree paragraph")
        elif amendment:
            opened = _OpenAmendment(amendment.group(1), amendment.group(2), [_paragraph(unit)])
            result[-1].amendments.append(opened)
        elif result[-1].amendments:
            result[-1].amendments[-1].paragraphs.append(_paragraph(unit))
        else:
            result[-1].paragraphs.append(_paragraph(unit))
    if quotes % 2:
        raise DecreeParseError("unbalanced quotation marks in the decree's own text")
    return tuple(paragraph.close() for paragraph in result)


# the Rules


@dataclass(slots=True)
class _OpenClause:
    number: str
    paragraphs: list[Paragraph]

    @property
    def anchor(self) -> str:
        return f"cl-{self.number}"

    def add(self, unit: _Unit) -> None:
        item = _ITEM.match(unit.text)
        if item is None:
            self.paragraphs.append(_paragraph(unit))
            return
        expected = sum(1 for p in self.paragraphs if p.item is not None) + 1
        if int(item.group(1)) != expected:
            raise DecreeParseError(f"line {unit.line}: sub-item {item.group(1)}) of clause {self.number}")
        self.paragraphs.append(_paragraph(unit, f"{self.anchor}-item-{item.group(1)}"))

    def close(self) -> Clause:
        return Clause(self.number, self.anchor, tuple(self.paragraphs))


@dataclass(slots=True)
class _OpenChapter:
    number: str
    heading: str
    title_kk: str
    notes: list[Paragraph]
    clauses: list[_OpenClause]

    def close(self) -> Chapter:
        return Chapter(
            number=self.number,
            anchor=f"ch-{self.number}",
            heading=self.heading,
            title_kk=self.title_kk,
            notes=tuple(self.notes),
            clauses=tuple(clause.close() for clause in self.clauses),
        )


def _chapters(units: Sequence[_Unit]) -> tuple[Chapter, ...]:
    chapters: list[_OpenChapter] = []
    last_clause: tuple[int, ...] = ()
    for unit in units:
        heading = _CHAPTER.match(unit.text) if unit.heading else None
        numbered = _NUMBERED.match(unit.text)
        if heading:
            number = heading.group(1)
            if chapters and _number_key(number) <= _number_key(chapters[-1].number):
                raise DecreeParseError(f"line {unit.line}: chapter {number} out of order")
            chapters.append(_OpenChapter(number, unit.text, heading.group(2), [], []))
        elif not chapters:
            raise DecreeParseError(f"line {unit.line}: text before the first chapter")
        elif numbered:
            number = numbered.group(1)
            if _number_key(number) <= last_clause:
                raise DecreeParseError(f"line {unit.line}: clause {number} out of order")
            last_clause = _number_key(number)
            chapters[-1].clauses.append(_OpenClause(number, [_paragraph(unit)]))
        elif chapters[-1].clauses:
            chapters[-1].clauses[-1].add(unit)
        else:
            chapters[-1].notes.append(_paragraph(unit))
    return tuple(chapter.close() for chapter in chapters)


def parse_decree(text: str) -> Decree:
    """Parse the Kazakh text of Decree No. 255 (the layout of the shipped file; see the module docstring)."""
    lines: list[_Line] = list(enumerate(text.splitlines(), start=1))
    formula = _index(lines, lambda raw: raw.strip() == _ENACTING_FORMULA)
    approved = _index(lines, lambda raw: raw.strip() == _APPROVED, formula)
    first_chapter = _index(lines, _is_chapter_heading, approved)
    # The signature is the last indented line of the decree with its unindented continuation.
    signature = max(
        i for i in range(formula + 1, approved) if lines[i][1].strip() and _is_indented(lines[i][1])
    )
    signature_end = _index(lines, lambda raw: not raw.strip(), signature)

    header = _blank_separated(lines[:formula])
    if len(header) != 2:
        raise DecreeParseError(f"expected the title and the act line before the formula, not {len(header)}")
    rules_title = [line for line in lines[approved + 1 : first_chapter] if line[1].strip()]
    if not rules_title:
        raise DecreeParseError("the title of the Rules is missing")

    return Decree(
        title=_join_lines(header[0]),
        act=_join_lines(header[1]),
        enacting_formula=lines[formula][1].strip(),
        paragraphs=_decree_paragraphs(_units(lines[formula + 1 : signature])),
        signature=_join_lines(lines[signature:signature_end]),
        approval=tuple(raw.strip() for _, raw in lines[signature_end : approved + 1] if raw.strip()),
        rules_title=_join_lines(rules_title),
        chapters=_chapters(_units(lines[first_chapter:], _is_chapter_heading)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
