"""Unique slugs for models that are addressed by slug in URLs."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, max_length: int = 200) -> str:
    base = slugify(text)[:max_length] or "item"
    slug = base
    n = 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
