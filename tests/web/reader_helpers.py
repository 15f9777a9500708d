"""What the kept reader page tests share (tests/web/test_reader_pages.py, test_reader_sessions.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory

HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def headlines(response) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode())


def in_category(category, headline, hours=0):
    article = ArticleFactory(headline=headline, published_at=timezone.now() - timedelta(hours=hours))
    ArticleCategoryFactory(article=article, category=category)
    return article
