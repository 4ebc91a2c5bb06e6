"""The coordinator's pages for the municipalities the organization serves.

AccessPolicyMiddleware already guards every page; the decorators are a second line.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kreds.core.access import staff_required
from kreds.core.forms import posted, save_form
from kreds.intake.queries import municipalities_with_counts
from kreds.organizations import municipality_services as services
from kreds.organizations.models import Municipality
from kreds.organizations.municipality_forms import MunicipalityForm


def municipality_for_staff(request, pk: int) -> Municipality:
    """One of this organization's municipalities, or 404 whether missing or someone else's."""
    return get_object_or_404(Municipality, organization=request.organization, pk=pk)


@staff_required
def municipality_list(request, org):
    municipalities = municipalities_with_counts(request.organization)
    return render(
        request, "organizations/municipality_list.html", {"municipalities": municipalities}
    )


@staff_required
def municipality_create(request, org):
    organization = request.organization
    form = MunicipalityForm(posted(request), organization=organization)
    saved = save_form(
        request,
        form,
        lambda data: services.create_municipality(
            organization=organization, data=data, by=request.user
        ),
        _("The municipality is added."),
    )
    if saved is not None:
        return redirect("organizations:municipality_list", org=organization.slug)
    return render(request, "organizations/municipality_form.html", {"form": form, "heading": None})


@staff_required
def municipality_edit(request, org, pk):
    municipality = municipality_for_staff(request, pk)
    heading = municipality.name
    form = MunicipalityForm(
        posted(request), instance=municipality, organization=request.organization
    )
    saved = save_form(
        request,
        form,
        lambda data: services.update_municipality(
            municipality=municipality, data=data, by=request.user
        ),
        _("The municipality is saved."),
    )
    if saved is not None:
        return redirect("organizations:municipality_list", org=request.organization.slug)
    return render(
        request, "organizations/municipality_form.html", {"form": form, "heading": heading}
    )
