"""What a search returns: the best passage of a subject, with the subject and where it was read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Subject:
    iri: str
    type: str
    label: str | None


@dataclass(frozen=True)
class DocumentRef:
    id: str
    source: str | None


@dataclass(frozen=True)
class Hit:
    """One result: the passage that matched best, with its subject entity and where it was read."""

    text: str
    score: float
    subject: Subject
    document: DocumentRef
    page: int | None
    line: int | None
    passage: str
    kind: str
    ranks: dict = field(default_factory=dict)  # method -> 1-based rank of this passage, where ranked

    def as_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        return d
