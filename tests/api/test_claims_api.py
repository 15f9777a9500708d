"""GET /api/articles/{id}/claims."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import TopicFactory
from tidings.stories.models import Claim
from tidings.taxonomy.models import TopicKind

pytestmark = pytest.mark.django_db


def stored_claim(article, order: int, **fields) -> Claim:
    values = {
        "speaker_text": "The ministry",
        "speaker_start": 0,
        "speaker_end": 12,
        "cue_text": "said",
        "cue_start": 13,
        "cue_end": 17,
        "content_text": "the strikes hit",
        "content_start": 18,
        "content_end": 33,
        "kind": "report",
    }
    values.update(fields)
    return Claim.objects.create(article=article, order=order, **values)


def test_claims_come_in_order_with_the_speaker_topic(client) -> None:
    article = ArticleFactory()
    ministry = TopicFactory(name="Russian Defense Ministry", kind=TopicKind.ORGANISATION)
    stored_claim(
        article, 1, speaker_text="", speaker_start=None, speaker_end=None, attributed=False, cue_text="reportedly"
    )
    stored_claim(article, 0, speaker_topic=ministry, quote=True, paragraph=2)
    response = client.get(f"/api/articles/{article.pk}/claims")
    assert response.status_code == 200
    body = response.json()
    assert body["article"] == article.pk and "blank lines" in body["offsets"]
    first, second = body["claims"]
    assert first["speaker"] == {"text": "The ministry", "start": 0, "end": 12}
    assert first["speaker_topic"] == {
        "id": ministry.pk,
        "name": "Russian Defense Ministry",
        "slug": ministry.slug,
        "kind": "organisation",
    }
    assert (first["quote"], first["part"], first["paragraph"], first["attributed"]) == (True, "body", 2, True)
    assert second["speaker"] is None and second["speaker_topic"] is None and second["attributed"] is False
    assert second["cue"]["text"] == "reportedly"


def test_an_article_without_claims_has_an_empty_list(client) -> None:
    article = ArticleFactory()
    assert client.get(f"/api/articles/{article.pk}/claims").json()["claims"] == []


@pytest.mark.parametrize("article_id", ["999999", "0", "99999999999999999999"])
def test_an_unknown_article_is_a_json_404(client, article_id) -> None:
    response = client.get(f"/api/articles/{article_id}/claims")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()
    if article_id == "999999":
        assert response.status_code == 404 and response.json()["detail"] == "no article 999999"


def test_claims_of_another_article_are_not_listed(client) -> None:
    mine, other = ArticleFactory(), ArticleFactory()
    stored_claim(other, 0)
    assert client.get(f"/api/articles/{mine.pk}/claims").json()["claims"] == []
