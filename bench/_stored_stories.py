"""The stories stored in a database, scored against the demo generator's events (`bench/clustering.py --stored`).

`tidings load_demo` stores each generated article with the guid `urn:tidings-demo:<outlet>:<event>`
(tidings.demo.corpus: the event the generator wrote it from), so the gold story of a stored demo article is
read back from its guid; articles of other sources are left out. The predicted story is the article's
ArticleStory (merges move the links, so it is the story it lives on in). Reported: B-cubed precision, recall
and F1, how many stories there are, and how many mix two or more events (with the biggest of them).

`reassign` (`--stored --reassign`) deletes the database's stories and assigns its articles again through
`stories.assign.assign_stories`, the task's own call, one call per assign task the db worker ran, in the order
it ran them (the task rows of django_tasks_db; article-id batches of 32 when there are none), optionally as a
fresh worker process each time (`--restart-each`: the index is filled from the database before every call).
The enrichment is not run again, so the worker's order can be replayed in seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

DEMO_GUID = "urn:tidings-demo:"
ASSIGN_TASK = "tidings.stories.tasks.assign_stories_task"
BATCH = 32


@dataclass(frozen=True)
class StoredScore:
    articles: int  # demo articles in a story
    unassigned: int  # demo articles in no story
    events: int
    stories: int
    mixed: int  # stories holding articles of two or more events
    precision: float
    recall: float
    f1: float
    worst: list[tuple[int, str, dict[str, int]]]  # (story pk, headline, event -> articles), biggest mixes first


def demo_event(guid: str) -> str | None:
    """The generator's event in a demo article's guid, None for any other guid."""
    if not guid.startswith(DEMO_GUID):
        return None
    return guid[len(DEMO_GUID) :].partition(":")[2] or None


def score_stored_stories(show: int = 10) -> StoredScore:
    """Score the stories of the configured database (Django set up) against the demo events."""
    from tidings.articles.models import Article
    from tidings.stories.bcubed import b_cubed
    from tidings.stories.models import Story

    gold: dict[int, str] = {}
    predicted: dict[int, int] = {}
    rows = Article.objects.filter(guid__startswith=DEMO_GUID).values_list("pk", "guid", "story_link__story_id")
    for pk, guid, story_id in rows:
        event = demo_event(guid)
        if event is None:
            continue
        gold[pk] = event
        if story_id is not None:
            predicted[pk] = story_id
    events_of: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, story_id in predicted.items():
        events_of[story_id][gold[pk]] += 1
    mixed = {story_id: events for story_id, events in events_of.items() if len(events) > 1}
    biggest = sorted(mixed, key=lambda s: (-sum(mixed[s].values()), s))[:show]
    headlines = dict(Story.objects.filter(pk__in=biggest).values_list("pk", "headline"))
    p, r, f = b_cubed(predicted, gold)
    return StoredScore(
        articles=len(predicted),
        unassigned=len(gold) - len(predicted),
        events=len(set(gold.values())),
        stories=len(events_of),
        mixed=len(mixed),
        precision=p,
        recall=r,
        f1=f,
        worst=[(s, headlines.get(s, ""), dict(mixed[s])) for s in biggest],
    )


def print_stored(score: StoredScore) -> None:
    print(
        f"stored demo articles: {score.articles} in stories ({score.unassigned} in none), {score.events} events, "
        f"{score.stories} stories, {score.mixed} mixing events; B3 precision {score.precision:.4f} "
        f"recall {score.recall:.4f} F1 {score.f1:.4f}"
    )
    for story_id, headline, events in score.worst:
        print(f"  story {story_id} ({sum(events.values())} articles) {headline[:70]!r}: {events}")
    print(f"RESULT stored_stories={score.stories} stored_mixed={score.mixed} stored_b3_f1={score.f1:.4f}")


def worker_batches() -> list[list[int]]:
    """The article ids of each assign task the db worker ran, in the order it started them; else the stored
    articles in id order in batches of BATCH."""
    from django_tasks_db.models import DBTaskResult

    from tidings.articles.models import Article

    rows = DBTaskResult.objects.filter(task_path=ASSIGN_TASK, started_at__isnull=False).order_by("started_at")
    batches = [list(args["args"][0]) for args in rows.values_list("args_kwargs", flat=True) if args.get("args")]
    if batches:
        return batches
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def reassign(restart_each: bool) -> int:
    """Delete every story and assign the articles again in the worker's batches; returns the batches run."""
    from tidings.stories import assign
    from tidings.stories.models import ArticleStory, Story

    batches = worker_batches()
    ArticleStory.objects.all().delete()
    Story.objects.all().delete()
    assign.reset()
    for batch in batches:
        if restart_each:
            assign.reset()
        assign.assign_stories(batch)
    return len(batches)
