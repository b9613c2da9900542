"""Two texts side by side, line against line, the changed words marked: the diff page's table.

``difflib`` finds the changed lines; within a changed pair the words that differ are
marked so that a redacted name or a corrected date stands out. Unchanged stretches are folded to
a few lines of context.

Builds also re-wrapped texts: line against line, every line then differs; the page also shows
the words that changed, whatever the line breaks (:func:`cables.store.textdiff.word_changes`). The result is plain data (no HTML): the template escapes every piece and
wraps changed ones in ``<del>``/``<ins>``, so no inline style is ever needed (the CSP forbids them).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    number: int
    parts: tuple[tuple[str, bool], ...]  # (text, changed)


@dataclass(frozen=True)
class Row:
    kind: str                     # equal, replace, delete, insert, skip
    left: Cell | None = None
    right: Cell | None = None
    skipped: int = 0              # for a skip row: how many unchanged lines are folded


@dataclass
class SideBySide:
    rows: list[Row] = field(default_factory=list)
    changed_lines: int = 0

    @property
    def unchanged(self) -> bool:
        return self.changed_lines == 0


def side_by_side(old: str, new: str, context: int = 3) -> SideBySide:
    a, b = old.splitlines(), new.splitlines()
    result = SideBySide()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shown_to = 0  # the first line of ``a`` not yet shown or folded
    for group in matcher.get_grouped_opcodes(context):
        first_a = group[0][1]
        if first_a > shown_to:
            result.rows.append(Row("skip", skipped=first_a - shown_to))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2)):
                    result.rows.append(Row("equal", _plain(i, a[i]), _plain(j, b[j])))
                continue
            result.changed_lines += max(i2 - i1, j2 - j1)
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                i, j = i1 + k, j1 + k
                left_line = a[i] if i < i2 else None
                right_line = b[j] if j < j2 else None
                if left_line is not None and right_line is not None:
                    left, right = _marked(left_line, right_line)
                    result.rows.append(Row("replace", Cell(i + 1, left), Cell(j + 1, right)))
                elif left_line is not None:
                    result.rows.append(Row("delete", Cell(i + 1, ((left_line, True),)), None))
                else:
                    result.rows.append(Row("insert", None, Cell(j + 1, ((right_line, True),))))
        shown_to = group[-1][2]
    if result.rows and shown_to < len(a):
        result.rows.append(Row("skip", skipped=len(a) - shown_to))
    return result


def _plain(index: int, line: str) -> Cell:
    return Cell(index + 1, ((line, False),))


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _marked(old: str, new: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    """The two lines split into unchanged and changed runs of words. Lines with little in common
    are marked whole: a scatter of one-letter matches helps nobody read a change."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.4:
        return ((old, True),), ((new, True),)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            _append(left, "".join(a[i1:i2]), changed)
        if j2 > j1:
            _append(right, "".join(b[j1:j2]), changed)
    return _joined(left), _joined(right)


def _joined(parts: list[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    """Changed words separated only by spaces read as one change: ``<del>AFTER KOREAN</del>``."""
    out: list[tuple[str, bool]] = []
    for i, (text, changed) in enumerate(parts):
        bridged = (not changed and text.isspace() and 0 < i < len(parts) - 1
                   and parts[i - 1][1] and parts[i + 1][1])
        _append(out, text, changed or bridged)
    return tuple(out)


def _append(parts: list[tuple[str, bool]], text: str, changed: bool) -> None:
    if parts and parts[-1][1] == changed:
        parts[-1] = (parts[-1][0] + text, changed)
    else:
        parts.append((text, changed))

