"""One answer to "is this article in category C?" on the category page, My News and both category trees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.articles.models import Article
from tidings.personalization.services import profile_for_user, set_follow
from tidings.taxonomy.linking import correct_category
from tidings.taxonomy.membership import LISTING_FLOOR, listed_article_counts, listed_categories
from tidings.taxonomy.models import Origin
from tidings.web.catalog import category_tree

pytestmark = pytest.mark.django_db


def four_answers(client, reader, category):
    """(category page ids, My News ids, web tree count, API tree count) for one category."""
    client.force_login(reader)
    page = client.get(reverse("web:category", args=[category.slug]))
    assert page.status_code == 200
    on_page = [a.pk for a in page.context["page"].object_list]
    my_news = client.get(reverse("web:my_news"))
    assert my_news.status_code == 200
    in_my_news = list(my_news.context["page"].object_list)  # My News pages over ranked ids
    web_counts = {node.category.pk: node.article_count for node in category_tree()}
    web_counts |= {child.category.pk: child.article_count for node in category_tree() for child in node.children}
    api_tree = client.get("/api/categories").json()
    api_counts = {node["id"]: node["article_count"] for node in api_tree}
    api_counts |= {child["id"]: child["article_count"] for node in api_tree for child in node["children"]}
    return sorted(on_page), sorted(in_my_news), web_counts[category.pk], api_counts[category.pk]


@pytest.fixture
def issue_case():
    """The case of issue 13: one weak model link and one editor-rejected article, nothing else."""
    politics = CategoryFactory(name="politics", slug="politics")
    ArticleCategoryFactory(category=politics, article=ArticleFactory(headline="Weak guess"), score=LISTING_FLOOR / 2)
    rejected = ArticleFactory(headline="Rejected by an editor")
    ArticleCategoryFactory(category=politics, article=rejected, score=0.9)
    correct_category(rejected.pk, politics.qcode, belongs=False)
    reader = UserFactory()
    set_follow(profile_for_user(reader), politics)
    return politics, reader


def test_weak_and_rejected_articles_are_in_the_category_nowhere(client, issue_case):
    politics, reader = issue_case
    assert four_answers(client, reader, politics) == ([], [], 0, 0)


def test_strong_model_and_publisher_links_are_in_the_category_everywhere(client, issue_case):
    politics, reader = issue_case
    strong = ArticleFactory(headline="Strong guess")
    ArticleCategoryFactory(category=politics, article=strong, score=LISTING_FLOOR)
    labelled = ArticleFactory(headline="Publisher label")
    ArticleCategoryFactory(category=politics, article=labelled, score=0.1, origin=Origin.PUBLISHER)
    assert four_answers(client, reader, politics) == (
        sorted([strong.pk, labelled.pk]),
        sorted([strong.pk, labelled.pk]),
        2,
        2,
    )


def test_sub_category_articles_roll_up_unless_rejected_from_the_parent(client):
    politics = CategoryFactory(name="politics", slug="politics")
    election = CategoryFactory(name="election", slug="election", parent=politics)
    rolled_up = ArticleFactory(headline="Ballot count")
    ArticleCategoryFactory(category=election, article=rolled_up)
    kept_out = ArticleFactory(headline="Ballot paper design")
    ArticleCategoryFactory(category=election, article=kept_out)
    correct_category(kept_out.pk, politics.qcode, belongs=False)  # not politics, though still an election story
    reader = UserFactory()
    profile = profile_for_user(reader)
    set_follow(profile, politics)
    assert four_answers(client, reader, politics) == ([rolled_up.pk], [rolled_up.pk], 1, 1)
    set_follow(profile, politics, "mute")
    set_follow(profile, election)
    both = sorted([rolled_up.pk, kept_out.pk])
    # Following the election and muting politics: only the story an editor took out of politics is left.
    assert four_answers(client, reader, election) == (both, [kept_out.pk], 2, 2)


def test_an_editor_link_lists_an_article_the_model_missed(client):
    politics = CategoryFactory(name="politics", slug="politics")
    article = ArticleFactory(headline="Editor's pick")
    ArticleCategoryFactory(category=politics, article=article, score=0.05)
    correct_category(article.pk, politics.qcode, belongs=True)
    reader = UserFactory()
    set_follow(profile_for_user(reader), politics)
    assert four_answers(client, reader, politics) == ([article.pk], [article.pk], 1, 1)


def test_grouped_tree_counts_equal_each_category_page_count():
    """listed_article_counts() (one grouped query) against in_category() (the page's filter), category by category."""
    politics = CategoryFactory(name="politics", slug="politics")
    election, government = (
        CategoryFactory(name=name, slug=name, parent=politics) for name in ("election", "government")
    )
    sport = CategoryFactory(name="sport", slug="sport")
    both_ways = ArticleFactory(headline="Linked to politics and to the election")
    ArticleCategoryFactory(article=both_ways, category=politics)
    ArticleCategoryFactory(article=both_ways, category=election)
    two_children = ArticleFactory(headline="Election and government")
    ArticleCategoryFactory(article=two_children, category=election)
    ArticleCategoryFactory(article=two_children, category=government)
    weak = ArticleFactory(headline="Weak guess")
    ArticleCategoryFactory(article=weak, category=government, score=LISTING_FLOOR / 2)
    labelled = ArticleFactory(headline="Publisher label")
    ArticleCategoryFactory(article=labelled, category=sport, score=0.1, origin=Origin.PUBLISHER)
    kept_out = ArticleFactory(headline="Election story taken out of politics")
    ArticleCategoryFactory(article=kept_out, category=election)
    correct_category(kept_out.pk, politics.qcode, belongs=False)
    ArticleCategoryFactory(article=ArticleFactory(duplicate_of=both_ways), category=politics)

    counts = listed_article_counts()
    pages = {c.pk: Article.objects.visible().in_category(c.pk).count() for c in (politics, election, government, sport)}
    assert {pk: counts.get(pk, 0) for pk in pages} == pages
    assert pages == {politics.pk: 2, election.pk: 3, government.pk: 1, sport.pk: 1}


def test_listed_categories_of_some_articles_keep_the_rejection_rule():
    parent = CategoryFactory(name="politics", slug="politics")
    child = CategoryFactory(name="elections", slug="elections", parent=parent)
    kept, rejected, elsewhere = ArticleFactory(), ArticleFactory(), ArticleFactory()
    for article in (kept, rejected, elsewhere):
        ArticleCategoryFactory(article=article, category=child, score=0.9)
    correct_category(rejected.pk, parent.qcode, belongs=False)  # out of the parent, still in the child
    correct_category(elsewhere.pk, child.qcode, belongs=False)  # another article's rejection: not asked about
    categories = [parent.pk, child.pk]
    with CaptureQueriesContext(connection) as captured:
        found = listed_categories([kept.pk, rejected.pk], categories)
    assert found == {kept.pk: {parent.pk, child.pk}, rejected.pk: {child.pk}}
    # Each rejection check looks among the asked articles' links only (PostgreSQL may hash a whole subquery).
    [sql] = [q["sql"] for q in captured]
    checks = sql.count("'editor'")
    assert checks >= 2 and sql.count(f'U0."article_id" IN ({kept.pk}, {rejected.pk})') == checks, sql
    alone = listed_categories([elsewhere.pk], categories)
    assert child.pk not in alone[elsewhere.pk]  # its own rejection still counts
    assert listed_categories([kept.pk, rejected.pk, elsewhere.pk], categories) == found | alone
