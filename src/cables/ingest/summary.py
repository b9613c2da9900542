"""Counts over a parsed collection: by year, classification and origin, and what failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .parallel import Outcome


@dataclass
class ParseSummary:
    documents: int = 0
    cables: int = 0
    by_year: Counter = field(default_factory=Counter)
    by_classification: Counter = field(default_factory=Counter)
    by_origin: Counter = field(default_factory=Counter)
    with_warnings: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.documents += 1
        if not outcome.ok:
            self.failures.append((outcome.name, outcome.error or "unknown error"))
            return
        for cable in outcome.cables:
            self.cables += 1
            self.by_year[(cable.created or "unknown")[:4]] += 1
            self.by_classification[cable.classification or "unknown"] += 1
            self.by_origin[cable.origin or "unknown"] += 1
            if cable.warnings:
                self.with_warnings += 1

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "cables": self.cables,
            "failed": len(self.failures),
            "with_warnings": self.with_warnings,
            "by_year": dict(sorted(self.by_year.items())),
            "by_classification": dict(self.by_classification.most_common()),
            "by_origin": dict(self.by_origin.most_common()),
            "failures": [{"document": n, "error": e} for n, e in self.failures],
        }
