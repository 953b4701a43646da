"""The API's documentation for people: every operation of the OpenAPI description, its
parameters and what it returns, drawn on the server as a GOV.UK page. No script runs, so the
Content-Security-Policy stays as strict as on every other page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI


def _schema_name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, str]]:
    """The fields of a response's rows: a page's items, or the object itself."""
    if "$ref" in schema:
        schema = components[_schema_name(schema["$ref"])]
    items = schema.get("properties", {}).get("items")
    if items and "$ref" in items.get("items", {}):
        schema = components[_schema_name(items["items"]["$ref"])]
    fields = []
    for name, field in schema.get("properties", {}).items():
        kinds = [option.get("type", "") for option in field.get("anyOf", [field])]
        formats = [option.get("format", "") for option in field.get("anyOf", [field])]
        kind = " or ".join(
            f"{k} ({f})" if f else k for k, f in zip(kinds, formats, strict=True) if k
        )
        fields.append({"name": name, "type": kind, "description": field.get("description", "")})
    return fields


def operations(description: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of an OpenAPI description, as the page lists it."""
    components = description.get("components", {}).get("schemas", {})
    found = []
    for address, methods in description["paths"].items():
        for method, operation in methods.items():
            responses = operation.get("responses", {})
            # Status codes are numbers in the description ninja builds, text once in JSON.
            ok = (responses.get(200) or responses.get("200") or {}).get("content", {})
            json_schema = ok.get("application/json", {}).get("schema")
            found.append(
                {
                    "method": method.upper(),
                    "path": address,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "csv": "text/csv" in ok,
                    "fields": _fields(json_schema, components) if json_schema else [],
                }
            )
    return found


def docs_page(api: NinjaAPI) -> Callable[[HttpRequest], HttpResponse]:
    def page(request: HttpRequest) -> HttpResponse:
        description = api.get_openapi_schema(path_prefix=reverse("api:api-root"))
        listed = operations(description)
        tags: dict[str, list[dict[str, Any]]] = {}
        for operation in listed:
            tags.setdefault(operation["tag"], []).append(operation)
        return render(
            request,
            "api/docs.html",
            {
                "info": description["info"],
                "tags": tags,
                "openapi_url": reverse("api:openapi-json"),
            },
        )

    return page
