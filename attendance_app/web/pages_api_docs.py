"""The HTTP API's description for whoever is logged in: /openapi.json (OpenAPI, as FastAPI
describes the API's routes) and /docs, the same read as a page.

FastAPI's own /docs page loads Swagger UI's scripts from a public CDN: at a site whose
office network has no Internet, or whose browser policy forbids third-party scripts, it
stays blank. This page is rendered here from the same description, with no script, and
like every page it needs a login (the API itself needs a token, attendance_app.web.api).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from attendance_app.web.api.router import API_PREFIX
from attendance_app.web.rendering import page
from attendance_app.web.security import viewer

router = APIRouter(dependencies=[Depends(viewer)], include_in_schema=False)


def api_description(request: Request) -> dict[str, Any]:
    """The app's OpenAPI description, its API routes only (the pages are not an API)."""
    spec = dict(request.app.openapi())
    spec["paths"] = {path: routes for path, routes in spec.get("paths", {}).items()
                     if path.startswith(API_PREFIX + "/")}
    return spec


@router.get("/openapi.json")
def openapi_json(request: Request) -> Response:
    return JSONResponse(api_description(request))


def _body_fields(spec: dict[str, Any], operation: dict[str, Any]) -> list[tuple[str, str]]:
    """(content type, field) of an operation's request body, its schema's $ref resolved."""
    fields = []
    for content_type, content in operation.get("requestBody", {}).get("content", {}).items():
        schema = content.get("schema", {})
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        fields += [(content_type, name) for name in schema.get("properties", {})]
    return fields


@router.get("/docs")
def docs(request: Request) -> Response:
    spec = api_description(request)
    operations = [{"method": method.upper(), "path": path, "body": _body_fields(spec, operation),
                   **operation}
                  for path, routes in spec["paths"].items()
                  for method, operation in routes.items()]
    return page(request, "api_docs.html", operations=operations)
