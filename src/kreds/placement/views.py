"""Pages for forming groups: starters' capacity, engine runs, the proposal, offers.

AccessPolicyMiddleware guards every page; the decorators are a second line. Offers are
answered by their own person only: anyone else's offer answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kreds.audit.services import audit_context, record_read
from kreds.core.access import staff_required
from kreds.core.forms import posted, save_form
from kreds.groups.models import Group
from kreds.people.models import Person
from kreds.placement import offers, queries, services
from kreds.placement.forms import (
    AcceptForm,
    AnswerForm,
    MoveForm,
    StarterCapacityForm,
    StartRunForm,
    WithdrawForm,
)
from kreds.placement.mail import base_url_from
from kreds.placement.models import MatchingRun, Offer, OfferStatus, StarterCapacity
from kreds.placement.proposal import TO_LIST


def run_for_staff(request, pk: int) -> MatchingRun:
    """One of this organization's runs, or 404 whether it is missing or someone else's."""
    return get_object_or_404(
        MatchingRun.objects.select_related("organization"),
        organization=request.organization,
        pk=pk,
    )


def starter_for_staff(request, pk: int) -> Person:
    """A starter of this organization, or 404."""
    return get_object_or_404(
        Person.objects.filter(
            roles__organization=request.organization, roles__kind="starter"
        ).distinct(),
        pk=pk,
    )


def offer_for_person(request, pk: int) -> Offer:
    """The person's own offer in this organization, or 404."""
    return get_object_or_404(
        Offer.objects.select_related("group", "organization"),
        organization=request.organization,
        application__person=request.user,
        pk=pk,
    )


def _run_url(run: MatchingRun) -> str:
    return reverse("placement:run_detail", kwargs={"org": run.organization.slug, "pk": run.pk})


# --- Starters' capacity -------------------------------------------------------------------


@staff_required
def capacity_list(request, org):
    starters = queries.starters_with_capacity(request.organization)
    return render(request, "placement/capacity_list.html", {"starters": starters})


@staff_required
def capacity_edit(request, org, pk):
    organization = request.organization
    person = starter_for_staff(request, pk)
    capacity = StarterCapacity.objects.filter(organization=organization, person=person).first()
    initial = {}
    if capacity is not None:
        record_read(**audit_context(request), obj=capacity, fields=["topics"])
        initial = {
            "topics": list(capacity.topics.all()),
            "municipality": capacity.municipality,
            "slots": capacity.slots,
            "max_groups": capacity.max_groups,
            "starts_mixed_groups": capacity.starts_mixed_groups,
        }
    form = StarterCapacityForm(posted(request), initial=initial, organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.save_starter_capacity(
            organization=organization, person=person, data=data, by=request.user
        ),
        _("The starter's capacity is saved."),
    )
    if saved is not None:
        return redirect("placement:capacity_list", org=organization.slug)
    return render(request, "placement/capacity_form.html", {"form": form, "starter": person})


# --- Runs ---------------------------------------------------------------------------------


@staff_required
def runs(request, org):
    context = {
        "runs": queries.recent_runs(request.organization),
        "counts": queries.waiting_counts(request.organization),
    }
    return render(request, "placement/run_list.html", context)


@staff_required
def run_start(request, org):
    organization = request.organization
    form = StartRunForm(posted(request))
    if request.method == "POST" and form.is_valid():
        run = services.start_matching_run(
            organization=organization, by=request.user, time_limit=form.cleaned_data["time_limit"]
        )
        return redirect(_run_url(run))
    context = {"form": form, "counts": queries.waiting_counts(organization)}
    return render(request, "placement/run_start.html", context)


@staff_required
def run_detail(request, org, pk):
    run = run_for_staff(request, pk)
    if not run.is_finished or run.proposal is None:
        return render(request, "placement/run_progress_page.html", {"run": run})
    view = queries.proposal_view(run)
    record_read(**audit_context(request), obj=run, fields=["proposal"])
    context = {"run": run, "view": view, "to_list": TO_LIST}
    return render(request, "placement/run_detail.html", context)


@staff_required
def run_progress(request, org, pk):
    run = run_for_staff(request, pk)
    if not request.headers.get("HX-Request"):
        # Without htmx (or opened directly) the progress is a page of its own.
        return render(request, "placement/run_progress_page.html", {"run": run})
    response = render(request, "placement/_run_progress.html", {"run": run})
    if run.is_finished:
        response["HX-Refresh"] = "true"
    return response


@staff_required
@require_POST
def run_move(request, org, pk):
    run = run_for_staff(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and where to move them."))
        return redirect(_run_url(run))
    try:
        services.move_member(
            run=run,
            application_id=form.cleaned_data["application"],
            target=form.cleaned_data["target"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person is moved."))
    return redirect(_run_url(run))


@staff_required
@require_POST
def run_accept(request, org, pk):
    run = run_for_staff(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a group to accept."))
        return redirect(_run_url(run))
    base_url = base_url_from(request)
    if form.cleaned_data["group"] == "all":
        accepted, problems = services.accept_all(run=run, by=request.user, base_url=base_url)
        _report_accepted(request, len(accepted), problems)
        _report_not_offered(request, accepted)
        return redirect(_run_url(run))
    try:
        group = services.accept_proposal(
            run=run, key=form.cleaned_data["group"], by=request.user, base_url=base_url
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The group is created and its members are offered a place."))
        _report_not_offered(request, [group])
    return redirect(_run_url(run))


def _report_not_offered(request, groups: list[Group]) -> None:
    for group in groups:
        for text in group.not_offered:
            messages.warning(request, text)


def _report_accepted(request, count: int, problems: list[str]) -> None:
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s group is created and its members are offered a place.",
                "%(count)s groups are created and their members are offered a place.",
                count,
            )
            % {"count": count},
        )
    for problem in problems:
        messages.error(request, problem)
    if not count and not problems:
        messages.info(request, _("There was no group left to accept."))


# --- Offers -------------------------------------------------------------------------------


@staff_required
def group_offers(request, org, pk):
    group = get_object_or_404(Group, organization=request.organization, pk=pk)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        offer = None
        if form.is_valid():
            offer = Offer.objects.filter(group=group, pk=form.cleaned_data["offer"]).first()
        if offer is None:
            raise Http404
        try:
            offers.withdraw_offer(offer=offer, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The offer is withdrawn. The person waits again."))
        return redirect("placement:group_offers", org=org, pk=group.pk)
    rows = list(queries.group_offers(group))
    record_read(**audit_context(request), obj=group, fields=["offers"])
    return render(request, "placement/group_offers.html", {"group": group, "offers": rows})


@login_required
def my_offers(request, org):
    if request.method == "POST":
        return _answer(request)
    rows = queries.person_offers(request.user, request.organization)
    return render(request, "placement/my_offers.html", {"offers": rows})


def _answer(request):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise Http404
    offer = offer_for_person(request, form.cleaned_data["offer"])
    try:
        if form.cleaned_data["answer"] == "accept":
            offer = offers.accept_offer(offer=offer, by=request.user)
        else:
            offers.decline_offer(offer=offer, by=request.user, base_url=base_url_from(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:my_page")
    if offer.status == OfferStatus.ACCEPTED:
        messages.success(request, _("Welcome to the group. The starter will be in touch."))
    elif offer.status == OfferStatus.WITHDRAWN:
        messages.error(
            request,
            _("Sorry: the group filled up before your answer came. You are still on the list."),
        )
    else:
        messages.success(request, _("Thank you for letting us know. You are still on the list."))
    return redirect("people:my_page")
