"""Where the kit finds its content and where it keeps a user's data.

Content (modules, exercises, resource library) ships inside the wheel under ``_kit/``; in a
source checkout it is read from the repository itself, so an educator's edits show up at once.
Everything the kit writes for a user lives under one data directory, so it can be moved,
backed up, exported or erased as a whole.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

DATA_DIR_ENV = "ALLIANCE_KIT_DATA_DIR"
#: An organisation's own copy of the content folders (modules/, resource_library/, exercises/).
CONTENT_DIR_ENV = "ALLIANCE_KIT_CONTENT_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent


def kit_root() -> Path:
    """The folder that holds ``modules/``, ``exercises/`` and ``resource_library/``."""
    override = os.environ.get(CONTENT_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser().resolve()
    bundled = PACKAGE_DIR / "_kit"
    if (bundled / "modules").is_dir():
        return bundled
    checkout = PACKAGE_DIR.parent.parent
    if (checkout / "modules").is_dir():
        return checkout
    raise FileNotFoundError(
        "alliance-kit cannot find its content folders (modules/, resource_library/). "
        "Reinstall the package, or run it from a complete checkout."
    )


def modules_dir() -> Path:
    return kit_root() / "modules"


#: The language the content is written in; other languages mirror it under ``content/<code>/``.
SOURCE_LANGUAGE = "en"


def content_dir(lang: str = SOURCE_LANGUAGE) -> Path:
    """The content folder for a language: ``modules/content/<lang>/`` when the kit ships it,
    otherwise the English folder, so a page in a language without content still has content.

    Ids, scores, scene links and citations are the same in every language, so whichever folder
    a loader reads, the journal, scores and grades do not change.
    """
    english = modules_dir() / "content"
    if lang == SOURCE_LANGUAGE:
        return english
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise ValueError(f"{lang!r} is not a language code (two or three lowercase letters)")
    mirror = english / lang
    return mirror if mirror.is_dir() else english


def content_file(relative: str | Path, lang: str = SOURCE_LANGUAGE) -> Path:
    """One content file in a language, or its English original while it is not translated."""
    translated = content_dir(lang) / relative
    return translated if translated.exists() else modules_dir() / "content" / relative


def exercises_dir() -> Path:
    return kit_root() / "exercises"


def resource_library_dir() -> Path:
    return kit_root() / "resource_library"


def jupyter_data_dir() -> Path:
    """Jupyter data folder of the kit (its Voila template), prepended to JUPYTER_PATH."""
    return PACKAGE_DIR / "jupyter_data"


def data_dir(create: bool = True) -> Path:
    """The one folder for everything the kit stores for its user.

    ``ALLIANCE_KIT_DATA_DIR`` moves it (tests, hub deployments, a USB stick); otherwise it is the
    platform's per-user data folder. It is created private to its owner, because reflections
    are about real supervision sessions.
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("alliance-kit", appauthor=False))
    if create and not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # a filesystem without POSIX modes
            path.chmod(0o700)
    return path


SHARED_ENV = "ALLIANCE_KIT_SHARED"


def shared_server() -> bool:
    """True when one server serves a whole group (a workshop), so there is no "my data".

    On a shared server every visitor's kernel writes to the same data directory, so pages that
    keep personal data (reflections, the session journal) must not store anything: one
    trainee would read another's notes. ``alliance-kit serve --workshop N``, ``--shared`` or
    an ``--ip`` other machines can reach sets it; personal use and per-user hub servers leave
    it unset.
    """
    return os.environ.get(SHARED_ENV, "").strip().lower() in ("1", "true", "yes")


def sqlite_uri(path: Path | str, **params: str) -> str:
    """An SQLite ``file:`` URI for ``path``, percent-encoded.

    Pasting a path into ``f"file:{path}"`` breaks on a data folder holding ``#``, ``?``, ``%``
    or a space: SQLite reads ``#`` as the start of a fragment, ``?`` as the start of the
    options and ``%`` as an escape. Every ``file:`` URI the kit builds comes from here.
    """
    uri = Path(path).expanduser().resolve().as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def sqlalchemy_sqlite_url(path: Path | str, **params: str) -> str:
    """The same URI as ``sqlite_uri`` as an SQLAlchemy URL (nbgrader's gradebook).

    SQLAlchemy percent-decodes the database part once before SQLite sees it, so the encoded
    URI is encoded once more.
    """
    uri = sqlite_uri(path, **params).replace("%", "%25")
    return f"sqlite:///{uri}{'&' if params else '?'}uri=true"


# --- what the kit keeps between kernels ---------------------------------------------------

#: Every kept entry starts with this and a checksum of what follows, so a file cut short by a
#: full disk, or damaged in any other way, is noticed and done again instead of used.
_KEPT_MAGIC = b"alliance-kit kept 1\n"
_KEPT_SUM = 16


def cache_dir(name: str) -> Path | None:
    """A folder of the user's cache (``~/.cache/alliance-kit/<name>``), owner-only, for work
    a new kernel would otherwise repeat: compiled templates, rendered Markdown, parsed content.

    Only content may go in, never a visitor's own words: on a workshop server every visitor's
    kernel runs as the same user. What is kept is used as it is (compiled templates run as
    code, kept HTML goes into pages unescaped), which is why the folder is the user's own.
    None when it cannot be made; the caller then does the work.
    """
    from platformdirs import user_cache_path

    folder = user_cache_path("alliance-kit", appauthor=False) / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def file_stamp(path: str | os.PathLike[str] | None) -> str:
    """A file's size and modification time ("-" when it cannot be read): enough to notice an
    upgraded package without reading, or importing, it."""
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    return f"{st.st_size}:{st.st_mtime_ns}" if st else "-"


def code_version(sources: list[Path], packages: tuple[str, ...]) -> str:
    """A short version of what ``sources`` (the kit's own modules, by their text) and the
    installed ``packages`` (by their files' size and time, found without importing them)
    make: an edited module or an upgraded package is a new version."""
    import hashlib
    from importlib.util import find_spec

    parts = [source.read_bytes() for source in sources]
    for package in packages:
        spec = find_spec(package)
        parts.append(f"{package}:{file_stamp(spec.origin if spec else None)}".encode())
    return hashlib.blake2b(b"\0".join(parts), digest_size=8).hexdigest()


def read_kept(folder: Path | None, key: str) -> bytes | None:
    """What :func:`keep` wrote under ``key``; None when it is missing, unreadable or damaged."""
    if folder is None:
        return None
    import hashlib

    try:
        with open(os.path.join(folder, key), "rb") as fh:  # a page reads dozens: no Path
            raw = fh.read()
    except OSError:
        return None
    head = len(_KEPT_MAGIC) + _KEPT_SUM
    if raw[: len(_KEPT_MAGIC)] != _KEPT_MAGIC:
        return None
    data = raw[head:]
    if hashlib.blake2b(data, digest_size=_KEPT_SUM).digest() != raw[len(_KEPT_MAGIC) : head]:
        return None
    return data


def kept_text(folder: Path | None, key: str, make: Callable[[], str]) -> str:
    """The text kept under ``key``, or ``make()``'s, kept for the next kernel: a missing,
    damaged or undecodable entry is made again."""
    kept = read_kept(folder, key)
    if kept is not None:
        try:
            return kept.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            pass
    text = make()
    keep(folder, key, text.encode("utf-8", "surrogatepass"))
    return text


def keep(folder: Path | None, key: str, data: bytes) -> bool:
    """Keep ``data`` under ``key`` for the next kernel: written whole under a temporary name and
    renamed, so a kernel reading at the same moment sees the old entry or the new one. A full
    or read-only disk only means the work is done again next time (False)."""
    if folder is None:
        return False
    import hashlib
    import tempfile

    body = _KEPT_MAGIC + hashlib.blake2b(data, digest_size=_KEPT_SUM).digest() + data
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kept-")  # created 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        os.replace(tmp, folder / key)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
