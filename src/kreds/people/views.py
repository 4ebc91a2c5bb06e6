"""My page: a person's own groups and profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from kreds.audit.services import request_id_of
from kreds.intake.queries import person_applications
from kreds.organizations.queries import role_organizations
from kreds.people import services
from kreds.people.forms import ProfileForm
from kreds.people.models import Person
from kreds.people.queries import current_memberships


@login_required
def my_page(request):
    return render(
        request,
        "people/my_page.html",
        {
            "memberships": current_memberships(request.user),
            "applications": person_applications(request.user),
            "staff_organizations": role_organizations(request.user),
        },
    )


@login_required
def profile_edit(request):
    # A copy: values the form rejects never reach request.user (or the audit log's actor).
    editable = Person.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        person = services.update_profile(
            person=request.user,
            data=form.cleaned_data,
            by=request.user,
            request_id=request_id_of(request),
        )
        translation.activate(person.preferred_language)
        messages.success(request, _("Your details are saved."))
        response = redirect("people:my_page")
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "people/profile_form.html", {"form": form})
