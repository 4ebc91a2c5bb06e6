"""The public site: what anyone may read about an organization and how to find a group."""

from django.http import Http404
from django.shortcuts import render

from kreds.organizations.models import Organization
from kreds.organizations.queries import active_topics
from kreds.public.forms import GroupFilterForm
from kreds.public.queries import joinable_groups, listed_organizations


def current_organization(request) -> Organization:
    """The organization named in the URL; an unknown short name answers 404."""
    if request.organization is None:
        raise Http404
    return request.organization


def organizations(request):
    return render(request, "public/organizations.html", {"organizations": listed_organizations()})


def home(request, org):
    organization = current_organization(request)
    return render(request, "public/home.html", {"topics": active_topics(organization)})


def what_is(request, org):
    current_organization(request)
    return render(request, "public/what_is.html")


def how_it_works(request, org):
    current_organization(request)
    return render(request, "public/how_it_works.html")


def find_group(request, org):
    organization = current_organization(request)
    form = GroupFilterForm(request.GET, organization=organization)
    groups = list(joinable_groups(organization, **form.filters()))
    return render(
        request,
        "public/find_group.html",
        {"form": form, "groups": groups, "is_filtered": form.is_filtered},
    )


def contact(request, org):
    current_organization(request)
    return render(request, "public/contact.html")
