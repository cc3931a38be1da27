"""Error bodies of each AEP service, raised as :class:`ApiError` and rendered by the app.

- gateway (platform.adobe.io edge): ``{"error_code", "message"}``
- Flow Service: ``{"type": ".../FLOW-<code>", "title", "status", "report": {...}, "errorMessage", "errorDetails"}``
- generic (Catalog, Content-Type check, ...): ``{"type", "status", "title", "detail"}``
- IMS: ``{"error", "error_description"}``
- DCS inlet: ``{"type", "status" (a string), "title", "report": {"message"}}``"""

from __future__ import annotations

import uuid

FLOW_TYPE = "https://ns.adobe.com/aep/errors/FLOW-"
GENERIC_TYPE = "/placeholder/type/uri"
DCS_TYPE = "https://ns.adobe.com/adobecloud/problem/data-collection-service-"

_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Resource not found",
           405: "Method not allowed", 409: "Conflict", 412: "Precondition Failed", 413: "Payload Too Large",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class ApiError(Exception):
    """An HTTP error response: raise it from any handler."""

    def __init__(self, status: int, body: dict, headers: dict[str, str] | None = None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


def title_for(status: int) -> str:
    return _TITLES.get(status, "Error")


def gateway_error(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, {"error_code": code, "message": message})


def flow_error(code: str, message: str, title: str | None = None, **report) -> ApiError:
    """``code`` is ``NNNN-SSS`` (the HTTP status is its suffix), e.g. ``flow_error("1439-404", ...)``."""
    status = int(code.rsplit("-", 1)[1])
    body = {
        "type": FLOW_TYPE + code,
        "title": title or title_for(status),
        "status": status,
        "report": {"detailed-message": message, "request-id": uuid.uuid4().hex, **report},
        "errorMessage": message,
        "errorDetails": message,
    }
    return ApiError(status, body)


def generic_error(status: int, detail: str, title: str | None = None, type_: str = GENERIC_TYPE,
                  **extra) -> ApiError:
    return ApiError(status, {"type": type_, "status": status, "title": title or title_for(status),
                             "detail": detail, **extra})


def ims_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, {"error": error, "error_description": description})


def dcs_error(status: int, kind: str, title: str, message: str, headers: dict | None = None) -> ApiError:
    body = {"type": DCS_TYPE + kind, "status": str(status), "title": title, "report": {"message": message}}
    return ApiError(status, body, headers)
