"""Resolves the organization named in the URL, once per request.

Sets `request.organization`, activates its language and time zone, and runs the
view inside a django-scopes scope, so a query that forgets the organization raises
instead of leaking another organization's rows.
"""

import zoneinfo

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django_scopes import scope

from kreds.organizations.models import Organization
from kreds.organizations.queries import person_organizations


class OrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        slug = _organization_slug(request.path_info)
        if slug is None:
            _activate_personal_language(request)
            with scope(organization=self._personal_scope(request)):
                return self.get_response(request)
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            # Let the normal 404 page render, outside any scope.
            with scope(organization=None):
                return self.get_response(request)
        request.organization = organization
        _activate_language(request, organization)
        timezone.activate(zoneinfo.ZoneInfo(organization.time_zone))
        try:
            with scope(organization=organization):
                response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    @staticmethod
    def _personal_scope(request):
        """Pages outside an organization (my page) see the person's own organizations."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return list(person_organizations(user))


def _organization_slug(path: str) -> str | None:
    try:
        match = resolve(path)
    except (Resolver404, Http404):
        return None
    return match.kwargs.get("org")


def _activate_personal_language(request) -> None:
    """Outside an organization: an explicit choice, else the person's own language."""

    user = getattr(request, "user", None)
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or user is None:
        return
    if user.is_authenticated and user.preferred_language:
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language


def _activate_language(request, organization: Organization) -> None:
    """An explicit choice wins, then the person's own language, then the organization's."""

    offered = organization.languages or [settings.LANGUAGE_CODE]
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    user = getattr(request, "user", None)
    preferred = user.preferred_language if user is not None and user.is_authenticated else None
    for candidate in (chosen, preferred):
        if candidate in offered:
            language = candidate
            break
    else:
        language = offered[0]
    translation.activate(language)
    request.LANGUAGE_CODE = language
