from kreds.people.models import Person
from tests import factories as f


def test_my_page_lists_current_groups_only(client, participant, group, organization):
    old_group = f.GroupFactory(organization=organization, name="Gammel gruppe")
    f.GroupMembershipFactory(group=old_group, person=participant, left_on="2026-10-01")
    client.force_login(participant)

    response = client.get("/me/")

    assert group.name in response.content.decode()
    assert "Gammel gruppe" not in response.content.decode()


def test_my_page_shows_coordination_link_to_coordinator(client, coordinator, organization):
    client.force_login(coordinator)
    response = client.get("/me/")
    assert f"/{organization.slug}/manage/" in response.content.decode()


def test_profile_edit_saves_language_and_name(client, participant):
    client.force_login(participant)
    response = client.post(
        "/me/profile/", {"display_name": "Pia", "preferred_language": "nb", "birth_year": "1970"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.display_name, participant.preferred_language, participant.birth_year) == (
        "Pia",
        "nb",
        1970,
    )


def test_profile_edit_rejects_nonsense_birth_year_and_keeps_old_data(client, participant):
    client.force_login(participant)
    response = client.post(
        "/me/profile/", {"display_name": "Pia", "preferred_language": "en", "birth_year": "abc"}
    )
    assert response.status_code == 200
    assert Person.objects.get(pk=participant.pk).display_name == "Participant Pia"


def test_signup_creates_person_with_display_name_and_sends_verification(db, client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ny@example.org",
            "password1": "en lang og god adgangskode",
            "password2": "en lang og god adgangskode",
            "display_name": "Birthe",
            "preferred_language": "da",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="ny@example.org")
    assert person.display_name == "Birthe"
    assert len(mailoutbox) == 1
    assert "ny@example.org" in mailoutbox[0].to


def test_signup_refuses_short_password(db, client):
    client.post(
        "/accounts/signup/",
        {
            "email": "kort@example.org",
            "password1": "kort123",
            "password2": "kort123",
            "display_name": "Kort",
            "preferred_language": "da",
        },
    )
    assert not Person.objects.filter(email="kort@example.org").exists()


def test_signup_verification_mail_is_in_the_chosen_language_and_its_link_confirms(
    db, client, mailoutbox, settings
):
    """The whole path: sign up in Norwegian, read the mail, follow its link, confirm."""
    import re

    from allauth.account.models import EmailAddress

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.post(
        "/accounts/signup/",
        {
            "email": "ny@example.no",
            "password1": "et langt og godt passord",
            "password2": "et langt og godt passord",
            "display_name": "Nora",
            "preferred_language": "nb",
        },
    )
    (mail,) = mailoutbox
    assert "bekreft" in mail.subject.lower()
    (link,) = re.findall(r"https?://testserver(/accounts/confirm-email/\S+/)", mail.body)
    address = EmailAddress.objects.get(email="ny@example.no")
    assert not address.verified

    page = client.get(link)
    confirmed = client.post(link)

    assert page.status_code == 200
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified
