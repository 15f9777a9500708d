"""The ORM edge of keyword mutes: a profile's rules (add, list, remove) and the filter step lists call.

drop_keyword_muted(profile, article_ids) is the one step My News, the home page and the private feed go
through (personalization.my_news calls it on the candidates, before ranking, so a story is shown through an
article no word hides and pages are cut after the filter): one query for the texts of the ids, none when the
profile mutes no words. Pages that already hold their articles call hide_keyword_muted(matcher, articles).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db import IntegrityError, transaction

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.keyword_mutes import MAX_RULES, MuteMatcher, MuteRule, validate_rule
from tidings.personalization.models import KeywordMute, Profile

T = TypeVar("T")


def keyword_mutes(profile: Profile | None) -> list[KeywordMute]:
    if profile is None:
        return []
    return list(KeywordMute.objects.filter(profile=profile))


def add_keyword_mute(profile: Profile, pattern: str, is_regex: bool = False) -> KeywordMute:
    """Validate and store; InvalidInput for a bad pattern, a repeat, or more than MAX_RULES."""
    rule = validate_rule(pattern, is_regex)
    if KeywordMute.objects.filter(profile=profile).count() >= MAX_RULES:
        raise InvalidInput(f"you mute {MAX_RULES} words or patterns, the most there can be; remove one first")
    try:
        with transaction.atomic():
            return KeywordMute.objects.create(profile=profile, pattern=rule.pattern, is_regex=rule.is_regex)
    except IntegrityError:
        raise InvalidInput(f"you already mute {rule.pattern!r}") from None


def remove_keyword_mute(profile: Profile | None, mute_id: int) -> bool:
    if profile is None:
        return False
    deleted, _ = KeywordMute.objects.filter(profile=profile, pk=mute_id).delete()
    return deleted > 0


def keyword_rules(profile: Profile | None) -> tuple[tuple[str, bool], ...]:
    """The profile's rules as (pattern, is_regex), sorted (a cache key part: My News' ranked list varies with
    them); one query, none for nobody."""
    if profile is None:
        return ()
    return tuple(sorted(KeywordMute.objects.filter(profile=profile).values_list("pattern", "is_regex")))


def matcher_for(profile: Profile | None) -> MuteMatcher:
    """The profile's rules compiled (empty, and falsy, for nobody or no rules): one query."""
    if profile is None:
        return MuteMatcher(())
    rows = KeywordMute.objects.filter(profile=profile).values_list("pattern", "is_regex")
    return MuteMatcher(MuteRule(pattern, is_regex) for pattern, is_regex in rows)


def rules_matcher(rules: Iterable[tuple[str, bool]]) -> MuteMatcher:
    """Rules as keyword_rules() reads them, compiled (no query)."""
    return MuteMatcher(MuteRule(pattern, is_regex) for pattern, is_regex in rules)


def drop_keyword_muted(
    profile: Profile | None, article_ids: Sequence[int], matcher: MuteMatcher | None = None
) -> list[int]:
    """The ids, in order, without those a muted word hides (My News, home, private feed); matcher: the
    profile's rules already read (else one query reads them)."""
    if matcher is None:
        matcher = matcher_for(profile)
    if not matcher or not article_ids:
        return list(article_ids)
    rows = Article.objects.filter(pk__in=list(article_ids)).values_list("pk", "headline", "standfirst")
    muted = matcher.muted_ids(rows)
    return [pk for pk in article_ids if pk not in muted]


def hide_keyword_muted(matcher: MuteMatcher, articles: Sequence[T], article_of=lambda x: x) -> tuple[list[T], int]:  # type: ignore[no-untyped-def]
    """Items whose article no rule hides, and how many were hidden (a page's cards; no query)."""
    if not matcher:
        return list(articles), 0
    kept = [item for item in articles if not matcher.matches(article_of(item).headline, article_of(item).standfirst)]
    return kept, len(articles) - len(kept)
