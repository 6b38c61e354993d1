"""A warm kernel's wait for the request it will serve, without Voila in the kernel.

Voila hands a warm kernel its request (address, query, headers) over a websocket,
``voila/query/<kernel id>`` on its own server, and offers ``voila.utils.wait_for_request`` to
receive it. Importing that module imports all of Voila and Jupyter server into the kernel:
about 45 MiB and a CPU-second more in every warm kernel (measured on the kit's learn page),
held for as long as the page is open, on a workshop server and in every prepared hub server.
This module receives the same message with Tornado's websocket client, which the kernel has
loaded already, reading the same environment variables as Voila's function.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading

log = logging.getLogger(__name__)
#: Seconds to reach the server; Voila waits five too.
CONNECT_SECONDS = 5
#: The server hands the request to one connection per kernel (the latest), so a page with
#: two parts waiting for it (its language, a resource named in its address) must share one.
_received = threading.Event()
_receiving = threading.Lock()


def query_url() -> str:
    """Where this kernel's request is handed over, as Voila's ``wait_for_request`` builds it."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    server_url = os.environ.get("VOILA_SERVER_URL", "/")
    base = os.environ.get("VOILA_WS_BASE_URL", server_url)
    return f"{protocol}://{ip}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def wait_for_request() -> None:
    """Block until the request arrives and put it in ``os.environ``, as Voila's function does.

    Run it in a thread of its own: it runs an event loop of its own until the message comes.
    Several waiting threads share one connection: the first receives, the others wait for it.
    When the server cannot be reached the page keeps what it built without the request.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    with _receiving:  # the first caller receives; later ones find it done
        if not _received.is_set():
            try:
                _receive()
            finally:
                _received.set()


def _receive() -> None:
    url = query_url()

    async def receive() -> str | bytes | None:
        from tornado.websocket import websocket_connect

        connection = await websocket_connect(url, connect_timeout=CONNECT_SECONDS)
        try:
            return await connection.read_message()
        finally:
            connection.close()

    loop = asyncio.new_event_loop()
    try:
        message = loop.run_until_complete(receive())
    except Exception as error:  # the page stays as built; the reason goes to the kernel's log
        log.warning("The request for this page did not arrive from %s: %s", url, error)
        return
    finally:
        loop.close()
    if message:
        for key, value in json.loads(message).items():
            os.environ[key] = value
