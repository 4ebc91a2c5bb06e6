"""The base layout: an icon that costs no request, and the footer's way to give feedback."""

import re

from django.urls import reverse

ICON = re.compile(r'<link rel="icon" type="image/svg\+xml" href="(data:image/svg\+xml,[^"]+)">')


def test_icon_is_inline_and_allowed_by_the_csp(client, organization):
    response = client.get(reverse("public:home", kwargs={"org": organization.slug}))
    match = ICON.search(response.content.decode())
    assert match, "no inline icon in the page head"
    assert " " not in match.group(1)  # percent-encoded: one attribute value, no loose text
    csp = response["Content-Security-Policy"]
    (img_src,) = [part for part in csp.split(";") if part.strip().startswith("img-src")]
    assert "data:" in img_src.split()


def test_footer_feedback_link_goes_to_the_feedback_heading(client, organization):
    home = client.get(reverse("public:home", kwargs={"org": organization.slug}))
    contact_url = reverse("public:contact", kwargs={"org": organization.slug})
    assert f'href="{contact_url}#feedback-heading"' in home.content.decode()
    contact = client.get(contact_url)
    assert 'id="feedback-heading"' in contact.content.decode()
