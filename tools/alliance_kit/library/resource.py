"""A resource's front matter, declared once: the check of a file, the typed resource the
library searches and shows, and the JSON Schemas editors get (``schemas/resource.schema.json``
and ``schemas/resource_translation.schema.json``).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from ..alliance import ChannelId, CharacteristicId, PhaseId
from ..bibliography import Cites, no_repeats, references
from ..declared import Declared, ships_schema
from .vocabulary import AUDIENCES, TYPES, base_language

ResourceId = Annotated[
    str,
    Meta(
        pattern="^[a-z0-9][a-z0-9-]*$",
        max_length=80,
        description="Stable id: lower-case words joined by hyphens. Links and other pages use it.",
    ),
]
Language = Annotated[str, Meta(pattern="^[a-z]{2}(-[A-Z]{2})?$")]
Title = Annotated[str, Meta(min_length=1, max_length=100)]
Summary = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=240,
        pattern="^[^\\n]*$",
        description="One line, shown on the result card.",
    ),
]
Keywords = Annotated[
    tuple[Annotated[str, Meta(min_length=1)], ...],
    Meta(description="Extra words people may search for (synonyms, local terms)."),
]
_UNIQUE: dict[str, Any] = {"min_length": 1, "extra_json_schema": {"uniqueItems": True}}


class Source(Declared, frozen=True):
    """A free-text reference, for an organisation's own resources."""

    citation: Annotated[str, Meta(min_length=1)]
    url: Annotated[str, Meta(pattern="^https?://[^\\s]+$")] | None = None


@ships_schema("resource")
class ResourceFrontMatter(Declared, frozen=True):
    """alliance-kit resource (the YAML front matter of one resource_library/*.md file)."""

    id: ResourceId
    title: Title
    summary: Summary
    type: Literal[tuple(TYPES)]  # type: ignore[valid-type]
    characteristics: Annotated[tuple[CharacteristicId, ...], Meta(**_UNIQUE)]
    channels: Annotated[tuple[ChannelId, ...], Meta(**_UNIQUE)]
    phases: Annotated[tuple[PhaseId, ...], Meta(**_UNIQUE)]
    minutes: Annotated[int, Meta(ge=1, le=240)]
    audience: Literal[tuple(AUDIENCES)]  # type: ignore[valid-type]
    language: Language
    cites: Annotated[
        Cites,
        Meta(
            description="Ids of entries in modules/content/bibliography.yaml; alliance-kit "
            "check bibliography resolves them."
        ),
    ] = ()
    sources: Annotated[
        tuple[Source, ...],
        Meta(
            description="Free-text references, for an organisation's own resources; the kit's "
            "resources use cites."
        ),
    ] = ()
    keywords: Keywords = ()

    def __post_init__(self) -> None:
        for name in ("characteristics", "channels", "phases", "cites"):
            no_repeats(getattr(self, name), name)


@ships_schema("resource_translation")
class ResourceTranslation(Declared, frozen=True):
    """alliance-kit resource translation (the YAML front matter of one
    resource_library/<language>/*.md file). A translation takes its id, facets, minutes and
    sources from the resource it translates, so the versions cannot drift apart; it carries
    only what is read."""

    translation_of: Annotated[
        ResourceId,
        Meta(description="Id of the resource this translates; found under the same id."),
    ]
    language: Language
    title: Title
    summary: Summary
    keywords: Keywords = ()
    cites: Annotated[
        Cites, Meta(description="Must equal the original's cites (a check compares them).")
    ] = ()

    def __post_init__(self) -> None:
        no_repeats(self.cites, "cites")


class Resource(ResourceFrontMatter, frozen=True, dict=True):
    """One resource: its front matter, its Markdown body, and where it came from."""

    body: str = ""
    path: str = ""
    local: bool = False
    #: the id of the original when this is a translation (then equal to ``id``)
    translation_of: str | None = None

    @classmethod
    def from_front_matter(
        cls, data: dict[str, Any], body: str, path: str = "", local: bool = False
    ) -> Resource:
        """A resource from front matter that was checked when its file was read (the index
        keeps it as JSON)."""
        return msgspec.convert({**data, "body": body, "path": path, "local": local}, cls)

    def front_matter(self) -> dict[str, Any]:
        data = msgspec.to_builtins(self)
        for name in ("body", "path", "local"):
            del data[name]
        # Lists, as YAML and JSON write them; empty optional fields are left out.
        return {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in data.items()
            if v not in ((), None)
        }

    @property
    def lang(self) -> str:
        return base_language(self.language)

    @property
    def references(self) -> tuple[Source, ...]:
        """What the reader shows under Sources: the cited bibliography entries written out in
        full, then any free-text sources (an organisation's own resources may use those)."""
        cited = tuple(Source(citation=ref.full, url=ref.link) for ref in references(self.cites))
        return cited + self.sources

    @cached_property
    def html(self) -> str:
        """The body rendered and sanitised: safe to put in a page as it is."""
        from ..markdown import render_content

        return render_content(self.body)

    @property
    def link(self) -> str:
        """A relative link that opens this resource on the library page (a translation in its
        own language; the plain id link opens the original)."""
        from urllib.parse import quote

        if self.translation_of:
            return f"library.ipynb?resource={quote(self.id)}&language={quote(self.language)}"
        return f"library.ipynb?resource={quote(self.id)}"
