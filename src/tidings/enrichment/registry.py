"""Build the enrichment pipeline from settings.TIDINGS_ENRICHMENT_STAGES and check it before anything runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from tidings.enrichment.stage import Stage

logger = logging.getLogger(__name__)

StageSpec = tuple[str, dict[str, object]]


@dataclass(slots=True)
class Pipeline:
    """Stages in run order; each stage's setup() runs once, before its first batch."""

    stages: tuple[Stage, ...]
    _ready: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    def ensure_ready(self, stage: Stage) -> None:
        with self._lock:
            if stage.name not in self._ready:
                logger.info("stage_setup stage=%s version=%s", stage.name, stage.version)
                stage.setup()
                self._ready.add(stage.name)


def build_pipeline(specs: Iterable[StageSpec] | None = None) -> Pipeline:
    """Import and build each configured stage; raise ImproperlyConfigured if the list cannot run as given."""
    if specs is None:
        specs = settings.TIDINGS_ENRICHMENT_STAGES
    stages = [_build_stage(spec) for spec in _as_specs(specs)]
    check_order(stages)
    return Pipeline(tuple(stages))


def _as_specs(specs: Iterable[object]) -> list[StageSpec]:
    checked = []
    for number, spec in enumerate(specs, start=1):
        if isinstance(spec, str):
            spec = (spec, {})
        if not (
            isinstance(spec, list | tuple) and len(spec) == 2 and isinstance(spec[0], str) and isinstance(spec[1], dict)
        ):
            raise ImproperlyConfigured(
                f"TIDINGS_ENRICHMENT_STAGES entry {number} should be (dotted class path, options dict), not {spec!r}"
            )
        checked.append((spec[0], spec[1]))
    return checked


def _build_stage(spec: StageSpec) -> Stage:
    path, options = spec
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"enrichment stage {path!r} cannot be imported: {exc}") from exc
    try:
        stage = cls(**options)
    except TypeError as exc:
        raise ImproperlyConfigured(f"enrichment stage {path!r} does not accept options {options!r}: {exc}") from exc
    for attribute in STAGE_ATTRIBUTES:
        if not hasattr(stage, attribute):
            raise ImproperlyConfigured(f"enrichment stage {path!r} has no {attribute!r}; see enrichment/stage.py")
    size = stage.batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ImproperlyConfigured(f"enrichment stage {path!r} batch_size {size!r}, not a positive integer")
    apart = set(stage.stored_apart) - set(stage.provides)
    if apart:
        raise ImproperlyConfigured(
            f"enrichment stage {path!r} stores {', '.join(sorted(apart))} apart but does not provide it"
        )
    return stage  # type: ignore[no-any-return]


# What build_pipeline checks a stage has (the Stage protocol in enrichment/stage.py).
STAGE_ATTRIBUTES = (
    "name",
    "version",
    "requires",
    "provides",
    "stored_apart",
    "batch_size",
    "setup",
    "process_batch",
    "store",
)


def check_order(stages: Sequence[Stage]) -> None:
    """Names are unique and every `requires` is provided by an earlier stage."""
    seen: dict[str, Stage] = {}
    provided: dict[str, str] = {}
    for stage in stages:
        if stage.name in seen:
            raise ImproperlyConfigured(
                f"two enrichment stages are named {stage.name!r} ({type(seen[stage.name]).__name__} and "
                f"{type(stage).__name__}); stage names must be unique"
            )
        missing = sorted(set(stage.requires) - set(provided))
        if missing:
            raise ImproperlyConfigured(
                f"enrichment stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage provides; "
                f"earlier stages provide: {', '.join(sorted(provided)) or 'nothing'}"
            )
        seen[stage.name] = stage
        for fact in stage.provides:
            provided[fact] = stage.name


_pipeline: Pipeline | None = None
_pipeline_lock = threading.Lock()


def get_pipeline() -> Pipeline:
    """The configured pipeline, built once per process (`reset()` forgets it)."""
    global _pipeline
    with _pipeline_lock:
        if _pipeline is None:
            _pipeline = build_pipeline()
        return _pipeline


def reset() -> None:
    global _pipeline
    with _pipeline_lock:
        _pipeline = None
