"""The coordinator area of one organization: overview, topics, age bands, people, settings.

AccessPolicyMiddleware already guards every page; the decorators are a second line.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kreds.audit.services import request_id_of
from kreds.core.access import admin_required, staff_required
from kreds.core.forms import posted, save_form
from kreds.groups.queries import forming_groups, status_counts
from kreds.meetings.queries import venues_count
from kreds.organizations import queries, services
from kreds.organizations.forms import (
    AgeBandForm,
    OrganizationSettingsForm,
    TopicForm,
)
from kreds.organizations.models import AgeBand, Organization, Topic


def topic_for_staff(request, pk: int) -> Topic:
    """One of this organization's topics, or 404 whether it is missing or someone else's."""
    return get_object_or_404(Topic, organization=request.organization, pk=pk)


def age_band_for_staff(request, pk: int) -> AgeBand:
    return get_object_or_404(AgeBand, organization=request.organization, pk=pk)


@staff_required
def manage_dashboard(request, org):
    organization = request.organization
    context = {
        "status_counts": status_counts(organization),
        "topic_count": queries.topics(organization).count(),
        "age_band_count": queries.age_bands(organization).count(),
        "venue_count": venues_count(organization),
        "people_count": queries.people_with_roles_count(organization),
        "forming_groups": forming_groups(organization),
    }
    return render(request, "organizations/dashboard.html", context)


# Topics


@staff_required
def topic_list(request, org):
    topics = queries.topics_with_group_counts(request.organization)
    return render(request, "organizations/topic_list.html", {"topics": topics})


@staff_required
def topic_create(request, org):
    organization = request.organization
    form = TopicForm(posted(request), organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.create_topic(
            organization=organization, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The topic is added."),
    )
    if saved is not None:
        return redirect("organizations:topic_list", org=organization.slug)
    return render(request, "organizations/topic_form.html", {"form": form})


@staff_required
def topic_edit(request, org, pk):
    topic = topic_for_staff(request, pk)
    heading = str(topic.name)
    form = TopicForm(posted(request), instance=topic, organization=request.organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_topic(
            topic=topic, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The topic is saved."),
    )
    if saved is not None:
        return redirect("organizations:topic_list", org=request.organization.slug)
    return render(request, "organizations/topic_form.html", {"form": form, "heading": heading})


# Age bands


@staff_required
def age_band_list(request, org):
    age_bands = queries.age_bands_with_group_counts(request.organization)
    return render(request, "organizations/age_band_list.html", {"age_bands": age_bands})


@staff_required
def age_band_create(request, org):
    organization = request.organization
    form = AgeBandForm(posted(request), organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.create_age_band(
            organization=organization, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The age band is added."),
    )
    if saved is not None:
        return redirect("organizations:age_band_list", org=organization.slug)
    return render(request, "organizations/age_band_form.html", {"form": form})


@staff_required
def age_band_edit(request, org, pk):
    age_band = age_band_for_staff(request, pk)
    heading = str(age_band.name)
    form = AgeBandForm(posted(request), instance=age_band, organization=request.organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_age_band(
            age_band=age_band, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The age band is saved."),
    )
    if saved is not None:
        return redirect("organizations:age_band_list", org=request.organization.slug)
    return render(request, "organizations/age_band_form.html", {"form": form, "heading": heading})


# People


@staff_required
def people_list(request, org):
    people = queries.people_with_roles(request.organization)
    return render(request, "organizations/people_list.html", {"people": people})


# Settings


@admin_required
def settings_edit(request, org):
    organization = request.organization
    # A separate copy, so a rejected name never shows in the page header.
    editable = Organization.objects.get(pk=organization.pk)
    form = OrganizationSettingsForm(posted(request), instance=editable, organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_organization_settings(
            organization=editable, data=data, by=request.user, request_id=request_id_of(request)
        ),
        _("The settings are saved."),
    )
    if saved is not None:
        return redirect("organizations:settings_edit", org=organization.slug)
    return render(request, "organizations/settings_form.html", {"form": form})
