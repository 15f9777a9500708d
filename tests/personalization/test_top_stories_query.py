"""The top-story pool (personalization.candidates.top_story_rows) returns the articles the rule describes, on
random stories built and edited through stories.editing (so their counts and times are kept as in use): the
stories whose last article is within the last TOP_WINDOW with the most distinct outlets among their visible
articles (two at least; ties: the newest article of the story, then the higher story id), their visible
articles newest first. The rule is computed here from the articles, not from the stored counts."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.utils import timezone

from tests.stories.helpers import story_of
from tidings.articles.models import Article
from tidings.personalization import candidates
from tidings.stories.coverage import recount_stories, stories_of_articles
from tidings.stories.editing import merge_stories, move_article, move_to_new_story
from tidings.stories.models import Story

pytestmark = pytest.mark.django_db

OUTLETS = ["Harbour Herald", "Evening Post", "Daily Wire", "Coast Times", "Morning Star"]


def _expected(now, top, per_page):
    since = now - candidates.TOP_WINDOW
    sources, last = defaultdict(set), {}
    visible = Article.objects.filter(duplicate_of__isnull=True)
    for story_id, source_id in visible.filter(story_link__isnull=False).values_list(
        "story_link__story_id", "source_id"
    ):
        sources[story_id].add(source_id)
    for story_id, published_at in Article.objects.filter(story_link__isnull=False).values_list(
        "story_link__story_id", "published_at"
    ):
        last[story_id] = max(last.get(story_id, published_at), published_at)
    listed = set(Story.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    recent = [s for s in sources if s in listed and last[s] >= since and len(sources[s]) >= 2]
    ranked = sorted(recent, key=lambda s: (len(sources[s]), last[s], s))
    chosen = set(ranked[::-1][:top])
    rows = visible.filter(story_link__story_id__in=chosen).values_list("id", "published_at", "source_id")
    return sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:per_page]


@pytest.fixture
def stories():
    rng = random.Random(48)
    made = []
    for n in range(40):
        coverage = [
            (rng.choice(OUTLETS), f"Event {n} from {k}", rng.choice([1, 5, 20, 40, 47.5, 49, 60, 90]))
            for k in range(rng.randrange(1, 5))
        ]
        made.append(story_of(*coverage))
    articles = [a for _story, found in made for a in found]
    marked = []
    for article in rng.sample(articles, 8):
        other = rng.choice(articles)
        if other.pk != article.pk:
            Article.objects.filter(pk=article.pk).update(duplicate_of=other)
            marked.append(article.pk)
    recount_stories(stories_of_articles(marked))  # as stories.neardup_service has it done after a marking
    for _ in range(4):
        kept, other = rng.sample([story for story, _found in made], 2)
        if kept.merged_into_id is None and other.merged_into_id is None:
            merge_stories(kept.pk, [other.pk])
            other.refresh_from_db()
    for article in rng.sample(articles, 4):
        move_article(article.pk, rng.choice(made)[0].pk)
    for article in rng.sample(articles, 3):
        move_to_new_story(article.pk)
    return made


@pytest.mark.parametrize(("top", "per_page"), [(3, 400), (8, 12), (60, 400)])
def test_it_returns_the_articles_of_the_rule(stories, monkeypatch, top, per_page):
    monkeypatch.setattr(candidates, "TOP_STORIES", top)
    monkeypatch.setattr(candidates, "TOP_STORY_ARTICLES", per_page)
    now = timezone.now()
    expected = _expected(now, top, per_page)
    assert len(expected) >= min(6, per_page)  # the comparison is not between empty lists
    assert candidates.top_story_rows(now) == expected
