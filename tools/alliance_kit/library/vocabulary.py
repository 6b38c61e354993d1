"""What a resource can be: its types, who it is for, and its language.

Apart from the declaration of a resource (``resource.py``, msgspec), so a page that lists and
filters resources from the index names them without loading what checks a resource's file.
"""

from __future__ import annotations

from ..i18n import N_

TYPES: dict[str, str] = {
    "conversation-guide": N_("Conversation guide"),
    "worksheet": N_("Worksheet"),
    "checklist": N_("Checklist"),
    "script": N_("Script"),
    "exercise": N_("Exercise"),
    "background": N_("Background"),
}
AUDIENCES: dict[str, str] = {
    "officer": N_("Officer"),
    "client": N_("Client"),
    "both": N_("Officer and client"),
}


def base_language(code: str) -> str:
    """``nl`` of ``nl-BE``: stemming and the language facet work on the language, not the region."""
    return code.split("-")[0].lower()
