"""HTML for the pages, from Jinja2 templates beside the kit's Voila template.

Every template autoescapes, so text from users and content files can go in as it is, and
interface text inside a template is marked ``{{ _("...") }}`` or ``{% trans %}`` and
translated through the kit's gettext catalogues (``alliance_kit.i18n``) in the language that
is active when the fragment is rendered. Content that is Markdown is rendered (and
sanitised) before it goes in, and passed as ``markupsafe.Markup``.

A fragment made of content and interface text only (a page's head, a facet's title, a
statement of the questionnaire) is the same for every visitor of a page in one language, so
:func:`render_kept` keeps it in the user's cache folder: a kernel whose page shows only such
fragments while it is built never imports Jinja2. Anything holding a visitor's words goes
through :func:`render`, or :func:`render_kept_around`, which keeps the frame and puts the
words in afterwards.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import cache
from gettext import find as gettext_find
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .paths import cache_dir, code_version, jupyter_data_dir, kept_text

if TYPE_CHECKING:
    import jinja2

#: Where the page fragments live: next to the kit's Voila template, whose look they share.
FRAGMENTS_DIR = jupyter_data_dir() / "voila" / "templates" / "alliance" / "fragments"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between kernels: compiling a page's templates cost each new
    kernel tens of milliseconds, more than rendering them. Owner-only, in the user's cache
    folder; without a writable one, templates are compiled in memory as before."""
    import jinja2

    folder = cache_dir(f"templates-{jinja2.__version__}")
    return None if folder is None else jinja2.FileSystemBytecodeCache(str(folder))


@cache
def environment() -> jinja2.Environment:
    """One environment per process; a template is compiled once, on its first use anywhere."""
    import jinja2

    from . import i18n

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(FRAGMENTS_DIR),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, pgettext=i18n.pgettext, newstyle=True
    )
    env.globals["lang"] = i18n.active
    return env


def render(name: str, **context: Any) -> str:
    """The fragment ``name`` (e.g. ``"nav.html.j2"``) filled in with ``context``."""
    return environment().get_template(name).render(**context)


# --- fragments kept between kernels -------------------------------------------------------

#: A template's name as another template names it (``{% from "x.html.j2" import ... %}``,
#: ``{% include "x.html.j2" %}``): its source is part of what a kept fragment depends on.
_NAMED_TEMPLATE = re.compile(r"""["']([\w.-]+\.j2)["']""")
#: Fragments kept in this process, so a page drawn again does not read them again.
_KEPT_IN_PROCESS = 4096
_kept: dict[bytes, str] = {}
_kept_lock = threading.Lock()


@cache
def _environment_version() -> str:
    """What every fragment depends on besides its template, language and context: how the
    environment is set up (this module), how interface text is looked up (``i18n``), and the
    installed Jinja2 and MarkupSafe."""
    from . import i18n

    return code_version([Path(__file__), Path(i18n.__file__)], ("jinja2", "markupsafe"))


def _kept_folder() -> Path | None:
    return cache_dir(f"fragments-{_environment_version()}")


@cache
def _template_version(name: str) -> bytes:
    """The source of ``name`` and of every template it names, so an edited macro file is
    noticed as well as an edited page fragment."""
    sources: dict[str, bytes] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in sources:
            continue
        sources[current] = (FRAGMENTS_DIR / current).read_bytes()
        todo += _NAMED_TEMPLATE.findall(sources[current].decode("utf-8"))
    digest = hashlib.blake2b(digest_size=16)
    for current in sorted(sources):
        digest.update(current.encode() + b"\0" + sources[current] + b"\0")
    return digest.digest()


@cache
def _catalogue_version(lang: str) -> bytes:
    """The compiled catalogue the template's interface text comes from (none for English)."""
    from . import i18n

    found = gettext_find(i18n.DOMAIN, str(i18n.LOCALE_DIR), [lang])
    if found is None:
        return b"-"
    try:  # by content: a corrected word of the same length, copied with its time, is noticed
        return hashlib.blake2b(Path(found).read_bytes(), digest_size=16).digest()
    except OSError:
        return b"?" + os.urandom(8)  # unreadable: nothing kept can be trusted to match


#: What a kept fragment's context may hold besides lists, tuples, dicts and ``Markup``.
_SCALARS = frozenset({str, bool, int, float, type(None)})


def _check_plain(value: Any) -> None:
    """Refuse anything but plain data: an object's attributes could change while the
    context's encoding (its ``repr``) stays the same. For plain data the ``repr`` tells apart
    everything a template tells apart: text from markup (escaped or not), a list from a
    tuple, ``True`` from ``1``."""
    kind = type(value)
    if kind in _SCALARS or kind is Markup:
        return
    if kind is list or kind is tuple:
        for item in value:
            _check_plain(item)
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a kept fragment's dict needs text keys")
            _check_plain(item)
        return
    raise TypeError(f"a kept fragment takes plain data only, not {kind.__name__}")


def render_if_shared(same_for_everyone: bool, name: str, **context: Any) -> str:
    """:func:`render_kept` for a fragment that is the same for every visitor (what a page opens
    with, a preset), :func:`render` for one that shows what this visitor chose or did: the
    caller says which, one rule for every page."""
    return (render_kept if same_for_everyone else render)(name, **context)


def render_kept(name: str, **context: Any) -> str:
    """The fragment ``name`` filled in with ``context``, kept in the user's cache folder so
    the next kernel neither imports Jinja2 nor renders it again.

    Only for a context made of content and interface text, never a visitor's words or data
    (what they typed, their notes, scores, journal, an address they opened): on a workshop
    server every visitor's kernel runs as one user and shares the folder. Each caller is
    listed in ``tests/test_kept_between_kernels.py`` after checking that. The entry is keyed
    by the template's source (and the templates it names), the active language and its
    catalogue, the environment and the context, so an edit to any of them renders it anew.
    """
    from . import i18n

    lang = i18n.active()
    _check_plain(context)
    encoded = repr((name, lang, context)).encode("utf-8", "surrogatepass")
    key = hashlib.blake2b(
        b"\0".join([_template_version(name), _catalogue_version(lang), encoded]), digest_size=20
    ).digest()
    with _kept_lock:
        html = _kept.get(key)
    if html is not None:
        return html
    html = kept_text(_kept_folder(), key.hex(), lambda: render(name, **context))
    with _kept_lock:
        if len(_kept) >= _KEPT_IN_PROCESS:
            _kept.clear()
        _kept[key] = html
    return html


def render_kept_around(name: str, hole: str, value: str, **context: Any) -> str:
    """The fragment ``name`` kept as :func:`render_kept` keeps it, with ``value`` (which may
    be a visitor's words) put into its ``hole`` afterwards, escaped as the template escapes
    it: the frame is kept, the value never.

    For a template that shows ``hole`` as it is (``{{ text }}``) and asks nothing of it but
    whether it is empty. A hole shown twice, cut or changed by a filter is noticed (the
    marker put in its place does not come out whole, once) and the fragment rendered whole;
    a template that compares the hole with other text must not use this.
    """
    if not value:
        return render_kept(name, **context, **{hole: value})
    slot = Markup(f"\0{hole}\0")
    frame = render_kept(name, **context, **{hole: slot})
    before, found, after = frame.partition(slot)
    if not found or "\0" in before or "\0" in after:
        return render(name, **context, **{hole: value})
    return before + str(escape(value)) + after
