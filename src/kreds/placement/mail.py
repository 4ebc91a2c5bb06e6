"""The email that tells a person a place is waiting: no topic, group, venue or health detail.

Anyone may glance at an inbox; the mail says only that a place in a group is waiting
(not even the organization's name, which says "self-help") and links to the person's own
page, where they see the details and answer after logging in.
"""

import os

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

DEFAULT_BASE_URL = "http://localhost:8000"


def site_url() -> str:
    """The installation's address for links in mails sent outside a request (cron)."""
    configured = getattr(settings, "KREDS_BASE_URL", "") or os.environ.get("KREDS_BASE_URL", "")
    return configured or DEFAULT_BASE_URL


def base_url_from(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def send_offer_mail(*, offer, base_url: str = "") -> None:
    """Send the offer mail in the person's own language."""
    person = offer.application.person
    organization = offer.organization
    root = base_url or site_url()
    with translation.override(person.preferred_language), timezone.override(organization.time_zone):
        context = {
            "answer_by": date_format(timezone.localtime(offer.expires_at), "DATE_FORMAT"),
            "my_page_url": root.rstrip("/") + reverse("people:my_page"),
        }
        subject = render_to_string("placement/email/offer_subject.txt", context).strip()
        body = render_to_string("placement/email/offer_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
