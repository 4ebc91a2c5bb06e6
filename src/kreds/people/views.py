"""My page: a person's own groups and profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from kreds.organizations.queries import role_organizations
from kreds.people.forms import ProfileForm
from kreds.people.queries import current_memberships


@login_required
def my_page(request):
    return render(
        request,
        "people/my_page.html",
        {
            "memberships": current_memberships(request.user),
            "staff_organizations": role_organizations(request.user),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        translation.activate(person.preferred_language)
        messages.success(request, _("Your details are saved."))
        response = redirect("people:my_page")
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "people/profile_form.html", {"form": form})
