"""The consent texts people agree to, versioned.

A consent row stores the purpose, the version and the language of the words the person
saw. Change a text by adding a new version and pointing CURRENT at it; never edit a
version people have already agreed to.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kreds.privacy.models import Purpose


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    text: str


TOPIC_2026_1 = ConsentText(
    purpose=Purpose.TOPIC,
    version="2026-1",
    text=_(
        "I agree that the organization keeps the topic I apply for, because it says "
        "something about my health or life situation. Only the organization's "
        "coordinators see it, and only to find a group for me. I can withdraw this "
        "consent at any time on my page; my application is then deleted."
    ),
)

CURRENT: dict[str, ConsentText] = {Purpose.TOPIC: TOPIC_2026_1}

# Every version people may have agreed to, current or not: (purpose, version) -> text.
VERSIONS: dict[tuple[str, str], ConsentText] = {
    (text.purpose, text.version): text for text in (TOPIC_2026_1,)
}


def text_for(purpose: str, version: str) -> ConsentText | None:
    """The words of one version of a consent text, or None for an unknown version."""
    return VERSIONS.get((purpose, version))
