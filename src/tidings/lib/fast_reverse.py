"""reverse() for pages with hundreds of links: each URL name is reversed once with placeholder arguments, and every
later call joins the URL's fixed parts with its arguments (an id or a slug goes into a path as it is).

    fast_reverse("web:article", article.pk)   # == reverse("web:article", args=[article.pk])

An argument that reverse() might quote or reject (anything but an int, or a string of letters, digits, '-' and
'_'; a non-digit string where the pattern takes only digits) goes through reverse() itself, so the result is
reverse()'s in every case. The forms are kept per URL name, argument count, script prefix and URLconf (Django's own
reverse() caches are kept the same way).
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_AS_IS = re.compile(r"[-A-Za-z0-9_]+")  # unchanged by reverse()'s quoting, accepted by int/str/slug/path
# Digits pass every built-in converter; two sets, so a pattern that transforms its value is caught.
_MARKS = ("48213907", "59324018")


@functools.lru_cache(maxsize=512)
def _form(viewname: str, arity: int, prefix: str, urlconf: str) -> tuple[tuple[str, ...], tuple[bool, ...]] | None:
    """The URL's fixed parts (arity + 1 of them) and, per argument, whether the pattern takes digits only;
    None when the URL cannot be formed this way (reverse() is used for it every time)."""
    forms = []
    for mark in _MARKS:
        values = [f"{mark}{i}{mark}" for i in range(arity)]
        try:
            url = reverse(viewname, args=values, urlconf=urlconf)
        except NoReverseMatch:
            return None
        parts, rest = [], url
        for value in values:
            head, found, rest = rest.partition(value)
            if not found or value in rest:
                return None
            parts.append(head)
        forms.append((*parts, rest))
    if forms[0] != forms[1]:
        return None
    digits_only = []
    for i in range(arity):
        values = [f"{_MARKS[0]}{k}{_MARKS[0]}" if k != i else "x-y" for k in range(arity)]
        try:
            reverse(viewname, args=values, urlconf=urlconf)
        except NoReverseMatch:
            digits_only.append(True)
        else:
            digits_only.append(False)
    return forms[0], tuple(digits_only)


def fast_reverse(viewname: str, *args: int | str) -> str:
    """reverse(viewname, args=args), from the name's cached form when the arguments allow it."""
    urlconf = get_urlconf()
    form = _form(viewname, len(args), get_script_prefix(), urlconf or settings.ROOT_URLCONF)
    if form is None:
        return reverse(viewname, args=args, urlconf=urlconf)
    parts, digits_only = form
    out = [parts[0]]
    for arg, digits, part in zip(args, digits_only, parts[1:], strict=True):
        if isinstance(arg, int) and not isinstance(arg, bool) and arg >= 0:
            text = str(arg)
        elif isinstance(arg, str) and _AS_IS.fullmatch(arg) and (not digits or arg.isdigit()):
            text = arg
        else:
            return reverse(viewname, args=args, urlconf=urlconf)
        out += (text, part)
    return "".join(out)


def reset() -> None:
    """Forget the cached forms (tests that swap URLconfs)."""
    _form.cache_clear()
