"""Emails never carry a topic, a group's name or anything a person wrote: links only.

Every email Kreds sends today is triggered here, as a person would trigger it, for a
person who is in a group and has applied with a note. Then every subject and body (plain
text and HTML) of the outbox is searched for the planted topic, group and note. Features
that add emails (offers, reminders) test their own in the same way.
"""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.urls import reverse

from kreds.intake.models import Application
from kreds.organizations.models import Municipality
from kreds.privacy.models import Consent, Purpose
from tests import factories as f

TOPIC = "Kanarieemne"
GROUP = "Kanariegruppen"
NOTE = "Kanarienote: min mand døde i marts"
NEW_PASSWORD = "et helt andet langt kodeord"


USER_SESSION_KEY = "account_authentication_methods_user"


@pytest.fixture(params=["en", "da"])
def member(request, organization):
    """A person in a group on a planted topic, who applied with a planted note."""
    topic = f.TopicFactory(
        organization=organization,
        name=f.i18n(TOPIC),
        description=f.i18n(f"{TOPIC} beskrivelse"),
    )
    group = f.GroupFactory(organization=organization, topic=topic, name=GROUP)
    person = f.PersonFactory(
        email="pia@example.org", display_name="Pia", preferred_language=request.param
    )
    f.GroupMembershipFactory(group=group, person=person)
    municipality = Municipality.objects.create(
        organization=organization, name="Herning", latitude="56.136", longitude="8.976"
    )
    consent = Consent.objects.create(
        organization=organization,
        person=person,
        purpose=Purpose.TOPIC,
        text_version="1",
        language=request.param,
    )
    Application.objects.create(
        organization=organization,
        person=person,
        topic=topic,
        birth_year=1960,
        municipality=municipality,
        consent=consent,
        note=NOTE,
    )
    return person


def logged_in(client, person):
    """Just re-entered the password, so allauth asks for it no more for a while."""
    client.force_login(person)
    session = client.session
    session[USER_SESSION_KEY] = str(person.pk)  # whose records these are (allauth)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": person.email, "reauthenticated": True}
    ]
    session.save()
    return client


def sent_by(mailoutbox, action) -> list:
    """The emails that `action` sent (there must be at least one)."""
    before = len(mailoutbox)
    action()
    sent = mailoutbox[before:]
    assert sent, f"{action.__name__} sent no email"
    return sent


def texts_of(message) -> list[str]:
    texts = [message.subject, message.body]
    texts.extend(str(content) for content, _type in getattr(message, "alternatives", []))
    return texts


def test_no_email_names_a_topic_a_group_or_a_note(client, member, mailoutbox):
    def signup():
        client.post(
            reverse("account_signup"),
            {
                "email": "ny@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "display_name": "Ny",
                "preferred_language": member.preferred_language,
            },
        )

    def signup_with_a_known_address():
        client.post(
            reverse("account_signup"),
            {
                "email": member.email,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "display_name": "Pia igen",
                "preferred_language": member.preferred_language,
            },
        )

    def password_reset():
        client.post(reverse("account_reset_password"), {"email": member.email})

    def password_reset_for_an_unknown_address():
        client.post(reverse("account_reset_password"), {"email": "ukendt@example.org"})

    def email_added():
        logged_in(client, member)
        client.post(reverse("account_email"), {"email": "pia@example.net", "action_add": ""})

    def email_changed():
        EmailAddress.objects.filter(email="pia@example.net").update(verified=True)
        client.post(reverse("account_email"), {"email": "pia@example.net", "action_primary": ""})

    def password_changed():
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": f.PASSWORD,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    actions = [
        signup,
        signup_with_a_known_address,
        password_reset,
        password_reset_for_an_unknown_address,
        email_added,
        email_changed,
        password_changed,
    ]
    messages = [message for action in actions for message in sent_by(mailoutbox, action)]
    # Six kinds of mail: signing up and adding an address both send the confirmation.
    assert len({message.subject for message in messages}) == len(actions) - 1

    assert member.applications.get().note == NOTE  # the planted note is really there
    planted = [TOPIC, GROUP, NOTE, "Kanarie", *member.applications.get().topic.name.data.values()]
    for message in messages:
        for text in texts_of(message):
            for secret in planted:
                assert secret.lower() not in text.lower(), (message.subject, secret)


def test_emails_carry_links_to_kreds_only(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "https://testserver/accounts/password/reset/key/" in message.body or (
        "http://testserver/accounts/password/reset/key/" in message.body
    )
