"""The News diet page: what the visitor read by category, week by week, next to what they follow."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tidings.personalization.diet_service import category_names, load_news_diet
from tidings.personalization.feedback import tracking_refused
from tidings.personalization.services import profile_for_request
from tidings.web.diet_chart import diet_chart


def news_diet(request: HttpRequest) -> HttpResponse:
    diet = load_news_diet(profile_for_request(request, create=False))
    return render(
        request,
        "web/news_diet.html",
        {
            "diet": diet,
            "chart": diet_chart(diet, category_names(diet)),
            "retention_days": settings.INTERACTION_RETENTION_DAYS,
            "not_tracked": tracking_refused(request.headers),
        },
    )
