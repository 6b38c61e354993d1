"""HTML for the pages, from Jinja2 templates beside the kit's Voila template.

Every template autoescapes, so text from users and content files can go in as it is, and
interface text inside a template is marked ``{{ _("...") }}`` or ``{% trans %}`` and
translated through the kit's gettext catalogues (``alliance_kit.i18n``) in the language that
is active when the fragment is rendered. Content that is Markdown is rendered (and
sanitised) before it goes in, and passed as ``markupsafe.Markup``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from .paths import cache_dir, jupyter_data_dir

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
