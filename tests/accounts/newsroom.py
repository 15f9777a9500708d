"""A small newsroom for admin tests: a row of every model the admin lists, in batches that can be added again.

`add_batch()` adds another set of rows (sources, articles with categories, topics and stage results, a story of
two articles, a reader with a profile, follows and a token, an OPML import) so a test can count queries before
and after and tell an N+1 from a fixed cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.accounts.editors import make_editor
from tidings.accounts.models import ApiToken
from tidings.enrichment.models import StageResult
from tidings.personalization.models import Follow, Profile
from tidings.sources.models import OpmlImport
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy.models import Alias, Origin

EDITOR_PASSWORD = "correct horse battery staple"


@dataclass
class Newsroom:
    batches: int = 0
    raw_tokens: list[str] = field(default_factory=list)

    def add_batch(self) -> None:
        n = self.batches = self.batches + 1
        owner = UserFactory(username=f"reader-{n}")
        source = SourceFactory(name=f"Gazette {n}", added_by=owner, last_error="timed out")
        parent = CategoryFactory(name=f"Economy {n}")
        category = CategoryFactory(name=f"Markets {n}", parent=parent)
        topic = TopicFactory(name=f"Harbour Board {n}", parent=TopicFactory(name=f"Dunmore {n}"))
        Alias.objects.create(topic=topic, name=f"Harbour Board {n}", key=f"harbour board {n}")
        story = Story.objects.create(headline="placeholder")
        for i in range(2):
            article = ArticleFactory(source=source, headline=f"Harbour board report {n}.{i}")
            ArticleCategoryFactory(article=article, category=category)
            ArticleCategoryFactory(article=article, category=parent, origin=Origin.EDITOR, score=1.0)
            ArticleTopicFactory(article=article, topic=topic)
            StageResult.objects.create(article=article, stage="language", version=1, values={"language": "en"})
            ArticleStory.objects.create(article=article, story=story, score=0.7)
        refresh_story(story.pk)
        profile = Profile.objects.create(user=owner)
        Follow.objects.create(profile=profile, topic=topic)
        Follow.objects.create(profile=profile, source=source, action="mute")
        self.raw_tokens.append(ApiToken.issue(owner)[1])
        OpmlImport.objects.create(user=owner, file_name=f"feeds-{n}.opml", data=b"<opml/>")


def newsroom(batches: int = 1) -> Newsroom:
    room = Newsroom()
    for _ in range(batches):
        room.add_batch()
    return room


def editor(username: str = "ed") -> Any:
    """A staff account in the Editors group, as `tidings create_editor` makes one."""
    user = UserFactory(username=username, password=EDITOR_PASSWORD)
    make_editor(user)
    return user
