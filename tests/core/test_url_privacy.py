"""No personal data in a URL (ASVS 14.2.1): addresses end up in logs, history and Referer.

Every URL pattern takes only an organization's short name, row ids and opaque keys; the
links Kreds mails (email confirmation, password reset) carry neither the address nor
the person's name, not even base64-encoded.
"""

import base64
import re

from django.urls import reverse

from tests.test_authorization_matrix import ROUTES

# org: the organization's short name; the rest are ids, signed keys and the admin's paths.
OPAQUE_PARAMETERS = {
    "org",
    "pk",
    "object_id",
    "content_type_id",
    "app_label",
    "url",
    "key",
    "uidb36",
}


def test_every_url_parameter_is_an_id_or_an_opaque_key():
    parameters = {name: route.route for route in ROUTES for name in route.kwargs}
    personal = {name: route for name, route in parameters.items() if name not in OPAQUE_PARAMETERS}
    assert not personal, f"URL parameters that may carry personal data: {personal}"


def test_mailed_links_name_neither_the_address_nor_the_person(client, db, mailoutbox):
    email, name = "birthe.jensen@example.org", "Birthe"
    password = "a long enough passphrase"
    client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password,
            "display_name": name,
            "preferred_language": "en",
        },
    )
    client.logout()
    client.post(reverse("account_reset_password"), {"email": email})

    links = [link for mail in mailoutbox for link in re.findall(r"https?://\S+", mail.body)]
    assert len(links) >= 2
    encoded = base64.urlsafe_b64encode(email.encode()).decode().rstrip("=")
    for link in links:
        for secret in (email, "birthe", encoded, encoded[:16]):
            assert secret.lower() not in link.lower(), link
