"""Defences of the kit's web server that hold for every request, whatever route answers it.

* **Host check on loopback servers (DNS rebinding).** Voila turns ``allow_remote_access`` on,
  so it never looks at the ``Host`` header. A web page the officer happens to visit could then
  point its own host name at 127.0.0.1 and drive the kit from the officer's browser: read the
  journal, press Export or Erase. A browser always sends the name it connected to, so a kit
  bound to this machine answers only to the names of this machine with its own port, and
  refuses any other (403) before a page, API call, websocket or static file is served.
* **Security headers on every response.** Voila's page and API handlers add the configured
  headers (the Content-Security-Policy among them), but its static file handlers are plain
  Tornado handlers that do not; a transform adds them to those responses too.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tornado import httputil, web

log = logging.getLogger("alliance_kit.serve")

#: Tornado setting naming the ``Host`` values a loopback server answers to.
ALLOWED_HOSTS_SETTING = "alliance_kit_allowed_hosts"
REFUSED = (
    "This alliance-kit server only answers to addresses of this computer "
    "(127.0.0.1, localhost or [::1] with its port). The request was refused."
)


def is_loopback(ip: str) -> bool:
    """True when a server bound to ``ip`` can be reached from this machine only."""
    if ip.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(ip: str, port: int) -> list[str] | None:
    """The ``Host`` values a server on ``ip:port`` accepts; None means it does not check.

    A server bound to another address is meant for a room behind a hub or proxy, which
    names the host itself, so only loopback servers check.
    """
    if not is_loopback(ip):
        return None
    names = ["127.0.0.1", "localhost", "[::1]"]
    hosts = [f"{name}:{port}" for name in names]
    # A browser leaves the default port out of the Host header.
    return hosts + names if port == 80 else hosts


def _forbidden_host_handler() -> type[web.RequestHandler]:
    from tornado import web

    class ForbiddenHost(web.RequestHandler):
        """Answers every method with 403 and a sentence, never the route that was asked for."""

        def prepare(self) -> None:
            log.warning("refused a request for host %r (%s)", self.request.host, self.request.uri)
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(REFUSED + "\n")

    return ForbiddenHost


def _security_headers_transform(headers: dict[str, str]) -> type:
    from tornado.web import OutputTransform

    class SecurityHeaders(OutputTransform):
        def transform_first_chunk(
            self,
            status_code: int,
            response_headers: httputil.HTTPHeaders,
            chunk: bytes,
            finishing: bool,
        ) -> tuple[int, httputil.HTTPHeaders, bytes]:
            for name, value in headers.items():
                response_headers[name] = value
            return status_code, response_headers, chunk

    return SecurityHeaders


def install(app: web.Application) -> None:
    """Put the host check in front of every route of ``app`` and its headers on every response.

    Reads what ``serve.build_config`` put in the Tornado settings: the allowed hosts (absent on
    a server that does not check) and the ``headers``.
    """
    from tornado.routing import Matcher, Rule

    allowed = app.settings.get(ALLOWED_HOSTS_SETTING)
    if allowed is not None:
        accepted = frozenset(host.lower() for host in allowed)

        class OtherHost(Matcher):
            def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
                host = (request.headers.get("Host") or "").strip().lower()
                return None if host in accepted else {}

        app.default_router.rules.insert(0, Rule(OtherHost(), _forbidden_host_handler()))
    headers = dict(app.settings.get("headers") or {})
    if headers:
        app.transforms.append(_security_headers_transform(headers))
