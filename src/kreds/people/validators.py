"""Password rule for words anyone guessing a Kreds password tries first (ASVS 6.2.11).

The name of the service, of self-help, and of each organization using Kreds (its name
and its short name in web addresses) do not count toward the minimum length: "Kreds2026!"
or "herning-herning" are refused, a passphrase that merely mentions one of them is not.
The list is documented in docs/security.md, "Authentication pathways".
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTEXT_WORDS = (
    "kreds",
    "selvhjælp",
    "selvhjaelp",
    "selvhjelp",
    "self-help",
    "selfhelp",
    "password",
    "passord",
    "kodeord",
    "adgangskode",
)
SHORTEST_ORGANIZATION_WORD = 4  # shorter parts of a name ("i", "og") are no hint


def context_words() -> list[str]:
    """The fixed words and every organization's name, its words and its slug, lowercased."""
    from kreds.organizations.models import Organization

    words = set(CONTEXT_WORDS)
    for name, slug in Organization.objects.values_list("name", "slug"):
        for text in (name, slug, *name.split(), *slug.split("-")):
            if len(text) >= SHORTEST_ORGANIZATION_WORD:
                words.add(text.lower())
    return sorted(words, key=len, reverse=True)  # longest first: "herning kreds" before "kreds"


class ContextWordsValidator:
    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        rest = password.lower()
        for word in context_words():
            rest = rest.replace(word, "")
        if len(rest.strip()) < self.min_length:
            raise ValidationError(
                _(
                    "This password is mostly words anyone could guess here: Kreds, self-help, "
                    "password or the name of an organization. Without them it must still "
                    "have at least %(min_length)d characters."
                ),
                code="password_context_words",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return _(
            "Kreds, self-help, password and the names of the organizations do not count "
            "toward the length."
        )
