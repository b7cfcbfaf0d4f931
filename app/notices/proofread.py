"""Reading a notice the way the assessor will: wording, punctuation, 文号, sensitive columns.

(Interface only: the rules land behind :func:`proofread`; everything that
shows or stores findings already goes through this module.)

Offsets are into ``title + "\\n" + body``, as privacy findings are, so
:func:`app.notices.privacy.lines_and_columns` places both alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProofContext:
    """What the desk knows that the text should agree with, and what the township allows.

    ``public`` is true when the notice reaches 全社会 or the website (a
    sensitive column is then 严重, on a village board 一般); ``publicity`` the
    公示期 the item's rule and the posting date give (ISO dates), when known.
    """

    township: str = ""
    issuer: str = ""
    phones: tuple[str, ...] = ()
    publicity: tuple[str, str] | None = None
    public: bool = True
    whitelist: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Fix:
    """One way to mend a finding: a label for the button, and the text that replaces it.

    ``replacement`` replaces ``text[start:end]`` of the finding; structural
    fixes (删除此列, 只保留到村组) carry ``action`` instead and are applied by
    :func:`apply_fix`.
    """

    label: str
    replacement: str | None = None
    action: str = ""


@dataclass(frozen=True)
class Proof:
    """One proofreading finding."""

    start: int
    end: int
    text: str
    rule: str
    severity: str
    explanation: str
    fixes: tuple[Fix, ...] = ()

    def to_json(self, line: int, col: int) -> dict[str, Any]:
        """The CONTRACT's shape: line, col, text, rule, severity, fix (the first, or null)."""
        first = self.fixes[0] if self.fixes else None
        fix = None if first is None else (first.replacement if first.replacement is not None
                                          else first.label)
        return {"line": line, "col": col, "text": self.text, "rule": self.rule,
                "severity": self.severity, "explanation": self.explanation, "fix": fix}


def proofread(title: str, body: str, context: ProofContext | None = None) -> list[Proof]:
    """Every finding in the notice's title and body, in text order."""
    return []


def apply_fix(title: str, body: str, proof: Proof, choice: int = 0) -> tuple[str, str]:
    """The title and body with ``proof.fixes[choice]`` applied."""
    fix = proof.fixes[choice]
    text = title + "\n" + body
    if fix.replacement is None:
        raise ValueError(f"unknown fix action {fix.action!r}")
    mended = text[:proof.start] + fix.replacement + text[proof.end:]
    new_title, _, new_body = mended.partition("\n")
    return new_title, new_body
