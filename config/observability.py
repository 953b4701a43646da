"""Logs an operator can use: a request id on every line and response, JSON lines in
production, and the security events (sign-ins, failures, lockouts, refused pages)."""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A request id from the proxy in front is kept if it looks like one; anything else is replaced.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")

security_log = logging.getLogger("stocktake.security")

# Attributes every LogRecord has; anything else was passed in `extra` and goes into the JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives every request an id (or keeps the proxy's X-Request-ID), for its log lines and
    its response, and logs refused pages as security events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ACCEPTABLE_ID.match(incoming) else uuid.uuid4().hex
        # Reset by `forget_request_id` when the response is finished, not here: Django logs the
        # request's outcome (django.request) after the middleware returns, with this id.
        _request_id.set(request_id)
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                security_log.warning(
                    "Access refused: %s %s for user %s",
                    response.status_code,
                    request.path,
                    user.pk,
                    extra={
                        "event": "access_refused",
                        "status": response.status_code,
                        "path": request.path,
                        "user_id": user.pk,
                    },
                )
        response["X-Request-ID"] = request_id
        return response


def forget_request_id(**kwargs: Any) -> None:
    """Log lines between requests carry no request's id."""
    _request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, any extra
    fields (event, user_id, path, status …) and the exception, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def client_address(request: HttpRequest | None) -> str:
    """The client's address as login throttling sees it (honours TRUSTED_PROXY_COUNT)."""
    if request is None:
        return ""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def log_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_log.info(
        "Signed in: user %s",
        user.pk,
        extra={"event": "login", "user_id": user.pk, "ip": client_address(request)},
    )


def log_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if not credentials.get("username"):
        # An organisation sign-in (no user name): the backend logged its reason as sso_refused.
        return
    # The user name is logged (it is what an investigation needs); the password never is.
    security_log.warning(
        "Sign-in failed for %r",
        str(credentials.get("username", ""))[:150],
        extra={
            "event": "login_failed",
            "username": str(credentials.get("username", ""))[:150],
            "ip": client_address(request),
        },
    )


def log_locked_out(
    sender: Any, request: HttpRequest | None, username: str, ip_address: str, **kwargs: Any
) -> None:
    security_log.warning(
        "Sign-in locked out after repeated failures: %r",
        username,
        extra={"event": "locked_out", "username": username, "ip": ip_address},
    )
