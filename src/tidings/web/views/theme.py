"""POST /theme/: remember the reader's colour theme in a cookie (works without script; tidings.js does the same
in place)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tidings.web.theme import THEME_COOKIE, THEME_MAX_AGE, THEMES
from tidings.web.views.follow import safe_next


# No CSRF token: a forged request could only change the colours of a page, and a token in every page's theme
# menu would make identical pages differ (the sign-in lockout page must not tell accounts apart).
@csrf_exempt
@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    theme = request.POST.get("theme", "")
    if theme not in THEMES:
        return HttpResponseBadRequest(f"theme must be one of {', '.join(THEMES)}")
    response = HttpResponseRedirect(safe_next(request, "/"))
    # Not HttpOnly: tidings.js writes the same cookie when the reader switches without a reload.
    response.set_cookie(THEME_COOKIE, theme, max_age=THEME_MAX_AGE, samesite="Lax", secure=request.is_secure())
    return response
