"""Clause results: one line each for people, and a JSON report for machines."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, TextIO

from cockpit.conformance.clauses import CLAUSES, Clause, Level


class Status(enum.StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True, slots=True)
class Result:
    clause: Clause
    status: Status
    evidence: str


class Report:
    """The results so far, one per clause (the first result a clause gets stands)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.results: dict[str, Result] = {}

    def set(self, clause_id: str, status: Status, evidence: str) -> None:
        clause = CLAUSES[clause_id]
        if clause_id not in self.results:
            self.results[clause_id] = Result(clause, status, " ".join(evidence.split()))

    def passed(self, clause_id: str, evidence: str) -> None:
        self.set(clause_id, Status.PASS, evidence)

    def failed(self, clause_id: str, evidence: str) -> None:
        self.set(clause_id, Status.FAIL, evidence)

    def skipped(self, clause_id: str, evidence: str) -> None:
        self.set(clause_id, Status.SKIP, evidence)

    def check(self, clause_id: str, ok: bool, evidence: str) -> bool:
        self.set(clause_id, Status.PASS if ok else Status.FAIL, evidence)
        return ok

    def ordered(self) -> list[Result]:
        return [self.results[c] for c in CLAUSES if c in self.results]

    def exit_code(self, strict: bool = False) -> int:
        """0 only when no MUST clause failed (and, with ``strict``, none was skipped)."""
        for r in self.results.values():
            if r.clause.level is Level.MUST and (
                r.status is Status.FAIL or (strict and r.status is Status.SKIP)
            ):
                return 1
        return 0

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results.values():
            key = f"{r.clause.level.value.lower()}_{r.status.value.lower()}"
            out[key] = out.get(key, 0) + 1
        return out

    def write_lines(self, out: TextIO) -> None:
        for r in self.ordered():
            c = r.clause
            out.write(f"{c.section:<6} {c.level.value:<6} {r.status.value:<4}  {c.id:<26} {c.title}")
            out.write(f"\n{'':>14}{r.evidence}\n" if r.evidence else "\n")
        s = self.summary()
        must_skipped = s.get("must_skip", 0)
        out.write(
            f"\n{self.url}: MUST {s.get('must_pass', 0)} passed, {s.get('must_fail', 0)} failed, "
            f"{must_skipped} skipped; SHOULD {s.get('should_pass', 0)} passed, {s.get('should_fail', 0)} failed, "
            f"{s.get('should_skip', 0)} skipped\n"
        )

    def as_json(self, strict: bool = False) -> dict[str, Any]:
        return {
            "url": self.url,
            "protocol": "cockpit protocol v1 (docs/protocol.md)",
            "clauses": [
                {
                    "id": r.clause.id,
                    "section": r.clause.section,
                    "level": r.clause.level.value,
                    "title": r.clause.title,
                    "status": r.status.value,
                    "evidence": r.evidence,
                }
                for r in self.ordered()
            ],
            "summary": self.summary(),
            "exit_code": self.exit_code(strict),
        }

    def write_json(self, out: TextIO, strict: bool = False) -> None:
        json.dump(self.as_json(strict), out, indent=2, ensure_ascii=False)
        out.write("\n")
