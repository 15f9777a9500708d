"""The JSON API mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from tidings.api import articles, claims, me, sources, stories, taxonomy
from tidings.api.errors import NotFound, install_error_handlers
from tidings.api.me_account import router as me_account_router
from tidings.api.me_activity import router as me_activity_router
from tidings.api.me_searches import router as me_searches_router

api = NinjaAPI(
    title="Tidings API",
    version="1",
    description="Articles, stories, categories, topics and sources; /me/* needs a bearer token or a signed-in session.",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", articles.router)
api.add_router("", claims.router)
api.add_router("", stories.router)
api.add_router("", taxonomy.router)
api.add_router("", sources.router)
api.add_router("", me.router)
api.add_router("", me_activity_router)
api.add_router("", me_account_router)
api.add_router("", me_searches_router)

# Added last so that it only catches paths no router above knows: those get a JSON 404 too.
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def unknown_endpoint(request: HttpRequest, rest: str) -> None:
    raise NotFound(f"no API endpoint at /api/{rest}")


api.add_router("", fallback)
