"""``alliance-kit check resources``: every resource file, the kit's own and the drop-in folders'.

Every resource must have a version in each language ``content.required_translations()`` names
(Dutch, unless ``ALLIANCE_KIT_REQUIRE_TRANSLATIONS`` or ``alliance-kit check
--require-translations`` says otherwise); for the languages not required, coverage is a note,
for a library that is still being translated.
"""

from __future__ import annotations

from ..content import Problem, register_checker, register_notes, required_translations
from ..i18n import N_, _
from .model import LANGUAGE_NAMES_EN, load_resources, missing_translations
from .resource import ResourceFrontMatter, ResourceTranslation

#: Declared in ``resource``, whose schemas ship with the kit: importing the kind loads them.
DECLARED = (ResourceFrontMatter, ResourceTranslation)

#: Languages whose coverage is reported even when nothing requires them.
COVERAGE_LANGUAGES = ("nl",)


@register_checker(
    "resources", N_("the resource library (resource_library/ and ALLIANCE_KIT_RESOURCES)")
)
def check_resources() -> list[Problem]:
    # Read the files themselves, not the index: the check must see the files as they are now.
    resources, problems = load_resources()
    for language in required_translations():
        name = _(LANGUAGE_NAMES_EN[language]) if language in LANGUAGE_NAMES_EN else language
        for r in missing_translations(resources, language):
            problems.append(
                Problem(
                    r.path,
                    _("has no %(language)s version (a file with translation_of: %(id)s)")
                    % {"language": name, "id": r.id},
                    r.id,
                )
            )
    return problems


def coverage_notes(resources: list, languages: tuple[str, ...] = COVERAGE_LANGUAGES) -> list[str]:
    """One line per language with the count, then one per file that lacks that version."""
    notes = []
    originals = [r for r in resources if not r.translation_of]
    for language in languages:
        if language in required_translations():
            continue  # reported as problems instead
        name = _(LANGUAGE_NAMES_EN[language]) if language in LANGUAGE_NAMES_EN else language
        missing = missing_translations(resources, language)
        done = len(originals) - len(missing)
        notes.append(
            _("%(language)s versions: %(done)s of %(count)s resources")
            % {"language": name, "done": done, "count": len(originals)}
        )
        notes.extend(
            _("%(file)s has no %(language)s version yet") % {"file": r.path, "language": name}
            for r in missing
        )
    return notes


@register_notes("resources")
def translation_coverage() -> list[str]:
    resources, _problems = load_resources()
    return coverage_notes(resources)
