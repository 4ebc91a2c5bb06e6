"""A person's rights: see and download their data, withdraw consent, erase the account."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kreds.privacy.forms import EraseAccountForm, WithdrawConsentForm
from kreds.privacy.own_rows import person_consents
from kreds.privacy.queries import active_consent, export_document, personal_data
from kreds.privacy.registry import SECTIONS, Erasure
from kreds.privacy.services import erase_person, withdraw_consent

# Sections shown even when empty: "nothing here" is an answer the person wants to read.
ALWAYS_SHOWN = {"account", "group_memberships", "applications", "special_reads"}


@login_required
def my_data(request):
    return render(
        request,
        "privacy/my_data.html",
        {
            "sections": [
                item
                for item in personal_data(request.user)
                if item.section.key != "consents"
                and (item.rows or item.section.key in ALWAYS_SHOWN)
            ],
            "consents": person_consents(request.user),
        },
    )


@login_required
@reauthentication_required
def my_data_download(request):
    document = json.dumps(
        export_document(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    filename = f"kreds-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def consent_withdraw(request):
    form = WithdrawConsentForm(request.POST)
    consent = (
        active_consent(request.user, form.cleaned_data["consent"]) if form.is_valid() else None
    )
    if consent is None:
        messages.error(request, _("That consent is already withdrawn."))
    else:
        withdraw_consent(consent=consent, by=request.user)
        messages.success(
            request,
            _("Your consent is withdrawn. %(organization)s no longer uses what it allowed.")
            % {"organization": consent.organization.name},
        )
    return redirect(reverse("privacy:my_data") + "#consents")


@login_required
@reauthentication_required
def erase_account(request):
    form = EraseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase_person(person=request.user, by=request.user)
        logout(request)
        response = redirect("privacy:erased")
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "erased": [s for s in SECTIONS if s.erasure == Erasure.DELETE],
            "kept": [
                s for s in SECTIONS if s.erasure in (Erasure.KEEP_PSEUDONYMISED, Erasure.UNLINK)
            ],
        },
    )


def erased(request):
    return render(request, "privacy/erased.html")
