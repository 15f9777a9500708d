"""An article's picture and its caption: a picture that fails to load takes its caption with it (tidings.js); a
caption whose picture has no address is labelled as one."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db
CAPTION, CREDIT = "Crowds gathered at the quay after the announcement.", "Harbour Photo Agency"


def test_a_caption_without_a_picture_address_is_labelled_as_an_image_caption(client):
    article = ArticleFactory(image_url="", image_caption=CAPTION, image_credit=CREDIT)
    body = client.get(article.get_absolute_url()).content.decode()
    figure = body.split('<figure class="story-figure story-figure-textonly">', 1)[1].split("</figure>", 1)[0]
    assert '<span class="muted">Image:</span> ' + CAPTION in figure
    assert "data-image-figure" not in body  # nothing for the script to remove


def test_a_picture_comes_with_its_caption_in_a_figure_removed_whole_if_it_fails(client):
    article = ArticleFactory(image_url="https://img.example.org/quay.jpg", image_caption=CAPTION, image_credit=CREDIT)
    body = client.get(article.get_absolute_url()).content.decode()
    figure = body.split('<figure class="story-figure" data-image-figure>', 1)[1].split("</figure>", 1)[0]
    assert 'src="https://img.example.org/quay.jpg"' in figure and "data-remove-on-error" in figure
    assert CAPTION in figure and CREDIT in figure
