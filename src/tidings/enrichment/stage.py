"""The one interface every enrichment stage implements (see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol


@dataclass(frozen=True, slots=True)
class ArticleText:
    article_id: int
    headline: str
    paragraphs: tuple[str, ...]
    standfirst: str = ""
    publisher_categories: tuple[str, ...] = ()
    url: str = ""
    facts: Mapping[str, object] = field(default_factory=dict)  # earlier stages' outputs

    @property
    def text(self) -> str:
        parts = [self.headline, self.standfirst, *self.paragraphs]
        return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class StageOutput:
    article_id: int
    values: Mapping[str, object] = field(default_factory=dict)  # keys within the stage's `provides`
    error: str | None = None  # for a person; the batch goes on


def contract_problem(output: StageOutput) -> str | None:
    """What is wrong with one output under the stage contract, or None: it has values or an error for a person.

    An output with neither would be stored as a success that says nothing, and the article never retried.
    """
    if output.error is not None:
        if not isinstance(output.error, str) or not output.error.strip():
            return "the stage gave an error without a message"
        return None
    if not output.values:
        return "the stage gave neither values nor an error"
    return None


class Stage(Protocol):
    name: ClassVar[str]
    version: ClassVar[int]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]
    # Provided facts that store() keeps in their own tables and StageResult.values leaves out (not JSON).
    stored_apart: ClassVar[frozenset[str]]
    batch_size: int  # articles per process_batch() call, a positive int (an option in TIDINGS_ENRICHMENT_STAGES)

    def setup(self) -> None:
        """Load models; called once per process before the first batch."""

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        """One output per item, in the same order; [] for an empty batch."""

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """Put one batch's facts where they belong (links, article columns, own tables).

        `values` maps article id → the values of one output without an error. The runner calls this inside the
        transaction that writes the batch's StageResult rows, so a failure stores neither.
        """
