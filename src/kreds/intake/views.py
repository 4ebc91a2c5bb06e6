"""Applying for a group (the person's side) and the intake pages (the coordinator's side).

AccessPolicyMiddleware already guards every page; the decorators are a second line.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kreds.audit.services import audit_context, record_read, record_reads
from kreds.core import ratelimit
from kreds.core.access import staff_required
from kreds.core.forms import posted, save_form
from kreds.intake import queries, services
from kreds.intake.forms import (
    ApplicationEditForm,
    ApplicationFilterForm,
    ApplicationForm,
    OutcomeForm,
    PlanTalkForm,
    topic_choices,
)
from kreds.intake.models import Application
from kreds.meetings.slots import slot_label
from kreds.organizations.queries import age_bands
from kreds.placement.mail import base_url_from

# What a coordinator sees of an application: special-category fields, named in the audit log.
DETAIL_FIELDS = [
    "person",
    "topic",
    "birth_year",
    "municipality",
    "availability",
    "gender",
    "note",
    "is_member",
    "status",
    "intake_talk_on",
    "intake_outcome",
    "waiting_since",
]
PER_PAGE = 50
LIST_FIELDS = ["person", "topic", "birth_year", "municipality", "status", "waiting_since"]


def application_for_owner(request, pk: int) -> Application:
    """One of the person's own applications in this organization, or 404."""
    application = queries.application_for_person(request.user, request.organization, pk)
    if application is None:
        raise Http404
    return application


def application_for_staff(request, pk: int) -> Application:
    """One of this organization's applications, or 404 whether missing or someone else's."""
    application = queries.application_for_staff(request.organization, pk)
    if application is None:
        raise Http404
    return application


# The person's side


@login_required
def apply(request, org):
    organization = request.organization
    if request.method == "POST" and not ratelimit.allow(request, "intake"):
        return ratelimit.refuse(request)
    form = ApplicationForm(posted(request), organization=organization, person=request.user)
    saved = save_form(
        request,
        form,
        lambda data: services.submit_application(
            organization=organization,
            person=request.user,
            data=data,
            language=translation.get_language(),
        ),
        _("Thank you. We have received your application and will contact you."),
    )
    if saved is not None:
        return redirect("people:my_page")
    context = {
        "form": form,
        "asks_membership": "membership" in form.fields,
        "is_open": bool(topic_choices(organization))
        and queries.active_municipalities(organization).exists(),
    }
    return render(request, "intake/apply.html", context)


@login_required
def application_edit(request, org, pk):
    application = application_for_owner(request, pk)
    if not application.is_open:
        messages.info(request, _("This application can no longer be changed."))
        return redirect("people:my_page")
    initial = {
        "municipality": application.municipality_id,
        "availability": application.availability,
    }
    form = ApplicationEditForm(posted(request), initial=initial, organization=request.organization)
    saved = save_form(
        request,
        form,
        lambda data: services.update_application(
            application=application, data=data, by=request.user
        ),
        _("Your changes are saved."),
    )
    if saved is not None:
        return redirect("people:my_page")
    return render(
        request, "intake/application_edit.html", {"form": form, "application": application}
    )


@login_required
def application_withdraw(request, org, pk):
    """POST (the button on my page) withdraws at once; GET asks first."""
    application = application_for_owner(request, pk)
    if request.method == "POST":
        services.withdraw_application(
            application=application, by=request.user, base_url=base_url_from(request)
        )
        messages.success(
            request, _("Your application is withdrawn and deleted, with your consent.")
        )
        return redirect("people:my_page")
    others = queries.applications_in_organization(request.user, request.organization).exclude(
        pk=application.pk
    )
    return render(
        request,
        "intake/application_withdraw.html",
        {"application": application, "others": others},
    )


# The coordinator's side


@staff_required
def manage_list(request, org):
    return _staff_list(request, stage="new")


@staff_required
def waiting_list(request, org):
    return _staff_list(request, stage="waiting")


def _staff_list(request, *, stage: str):
    organization = request.organization
    bands = list(age_bands(organization))
    year = timezone.localdate().year
    filter_form = ApplicationFilterForm(request.GET, organization=organization)
    filters = filter_form.filters(stage)
    now = timezone.now()
    page = Paginator(queries.applications_for_staff(organization, filters, now=now), PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    applications = list(page.object_list)
    for application in applications:
        application.age_band = queries.band_for(application.birth_year, bands, year=year)
        application.age = year - application.birth_year
        application.waited_days = (now - application.since).days
    record_reads(**audit_context(request), objs=applications, fields=LIST_FIELDS)
    context = {
        "stage": stage,
        "applications": applications,
        "page": page,
        "filter_form": filter_form,
        "is_filtered": bool(request.GET) and filters != queries.Filters(stage=stage),
        "age_bands": bands,
        "counts": queries.counts_by_topic_and_age_band(organization, stage, bands, year=year),
    }
    return render(request, "intake/manage_list.html", context)


@staff_required
def manage_detail(request, org, pk):
    application = application_for_staff(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    plan_form = PlanTalkForm(
        request.POST if action == "plan" else None,
        prefix="plan",
        initial={"talk_on": application.intake_talk_on},
    )
    outcome_form = OutcomeForm(request.POST if action == "outcome" else None, prefix="outcome")
    saved = None
    if action == "plan":
        saved = save_form(
            request,
            plan_form,
            lambda data: services.plan_intake_talk(
                application=application, on=data["talk_on"], by=request.user
            ),
            _("The intake talk is planned."),
        )
    elif action == "outcome":
        saved = save_form(
            request,
            outcome_form,
            lambda data: services.record_intake_outcome(
                application=application, outcome=data["outcome"], by=request.user
            ),
            _("The outcome of the intake talk is saved."),
        )
    if saved is not None:
        return redirect("intake_manage:detail", org=org, pk=application.pk)
    record_read(**audit_context(request), obj=application, fields=DETAIL_FIELDS)
    year = timezone.localdate().year
    context = {
        "application": application,
        "age_band": queries.band_for(
            application.birth_year, list(age_bands(request.organization)), year=year
        ),
        "age": year - application.birth_year,
        "slots": [slot_label(slot) for slot in application.availability],
        "plan_form": plan_form,
        "outcome_form": outcome_form,
        "before_talk": application.status in services.BEFORE_TALK,
    }
    return render(request, "intake/manage_detail.html", context)
