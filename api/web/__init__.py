"""The citizen portal: a dossier lookup page and a signature-check page, served by the app itself.

Plain HTML templates, one stylesheet and small vanilla-JS files under ``static/``: no build step,
no CDN, so the portal works on a center's offline LAN. The pages call the public JSON API
(``/api/v1/public``) like any other client, so access-code checks and rate limits live in one
place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).parent
STATIC_URL = "/static/portal"
# The pages load only their own files: no inline script, nothing from another origin, and the
# dossier code in the address is not leaked to other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@cache
def _template(name: str) -> Template:
    return Template((HERE / "templates" / name).read_text(encoding="utf-8"))


def render_page(name: str, **values: str) -> HTMLResponse:
    """``templates/{name}`` with its ``$placeholders`` filled in, HTML-escaped."""
    filled = {key: escape(value) for key, value in values.items()}
    html = _template(name).substitute(filled, static=STATIC_URL)
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def procedure_names_json(names: Mapping[str, str | None]) -> str:
    """The procedures' display names for the page (those without a name show their code)."""
    return json.dumps({code: name for code, name in names.items() if name}, ensure_ascii=False)


def static_files() -> StaticFiles:
    """The portal's stylesheet and scripts, mounted at ``STATIC_URL``."""
    return StaticFiles(directory=HERE / "static")
