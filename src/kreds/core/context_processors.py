"""What every page needs: the organization, its languages and the person's place in it."""

from django.conf import settings


def site(request):
    organization = getattr(request, "organization", None)
    languages = organization.language_choices if organization else settings.LANGUAGES
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
