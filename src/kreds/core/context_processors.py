"""What every page needs: the organization, its languages and the person's place in it."""

from django.conf import settings
from django.utils.translation import get_language_info


def own_name(code: str) -> str:
    """A language's name in that language ("Dansk", "Norsk (bokmål)", "English")."""
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def site(request):
    organization = getattr(request, "organization", None)
    codes = organization.languages if organization else [code for code, _ in settings.LANGUAGES]
    # The switcher names each language in itself, so a reader finds their own.
    languages = [(code, own_name(code)) for code in codes if code in dict(settings.LANGUAGES)]
    user = getattr(request, "user", None)
    can_manage = bool(
        organization
        and user is not None
        and user.is_authenticated
        and user.has_perm("organizations.manage", organization)
    )
    return {
        "organization": organization,
        "site_languages": languages,
        "can_manage": can_manage,
    }
