"""An article's picture and its caption: a caption is shown only with its picture, never alone."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db
CAPTION, CREDIT = "Crowds gathered at the quay after the announcement.", "Harbour Photo Agency"


def test_a_caption_without_a_picture_is_not_shown(client):
    article = ArticleFactory(image_url="", image_caption=CAPTION, image_credit=CREDIT)
    body = client.get(article.get_absolute_url()).content.decode()
    assert CAPTION not in body and CREDIT not in body and "<figcaption" not in body


def test_a_picture_comes_with_its_caption_in_a_figure_removed_whole_if_it_fails(client):
    article = ArticleFactory(image_url="https://img.example.org/quay.jpg", image_caption=CAPTION, image_credit=CREDIT)
    body = client.get(article.get_absolute_url()).content.decode()
    figure = body.split('<figure class="story-figure" data-image-figure>', 1)[1].split("</figure>", 1)[0]
    assert 'src="https://img.example.org/quay.jpg"' in figure and "data-remove-on-error" in figure
    assert CAPTION in figure and CREDIT in figure
