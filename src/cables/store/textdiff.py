"""What changed between two texts, word by word, whatever the line breaks.

Builds re-wrapped texts (06MOSCOW9533's second version puts each paragraph on one line): line
against line, every line then differs, and the few words that really changed (names the first
release had redacted) drown in it. Compared as words, they stand out. Pure: used by
``store.queries.diff`` (the ``cables diff`` command) and the web's diff page alike.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WordRun:
    kind: str        # equal, delete, insert, skip
    text: str = ""
    skipped: int = 0


@dataclass
class WordChanges:
    runs: list[WordRun] = field(default_factory=list)
    changed_words: int = 0

    def to_json(self) -> dict:
        return {"changed_words": self.changed_words,
                "runs": [{"kind": r.kind, "text": r.text} if r.kind != "skip"
                         else {"kind": "skip", "skipped": r.skipped} for r in self.runs]}


def word_changes(old: str, new: str, context: int = 12) -> WordChanges:
    """The words deleted and inserted from ``old`` to ``new``, line breaks and spacing ignored;
    unchanged runs longer than twice ``context`` words are folded."""
    a, b = old.split(), new.split()
    result = WordChanges()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            first = 0 if not result.runs else context
            last = context if i2 < len(a) else 0
            if len(words) > first + last + context:
                if first:
                    result.runs.append(WordRun("equal", " ".join(words[:first])))
                result.runs.append(WordRun("skip", skipped=len(words) - first - last))
                if last:
                    result.runs.append(WordRun("equal", " ".join(words[-last:])))
            else:
                result.runs.append(WordRun("equal", " ".join(words)))
            continue
        if i2 > i1:
            result.runs.append(WordRun("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            result.runs.append(WordRun("insert", " ".join(b[j1:j2])))
        result.changed_words += max(i2 - i1, j2 - j1)
    return result
