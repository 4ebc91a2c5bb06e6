"""manage.py load_demo: two believable organizations, one login per role, safe to run twice."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kreds.demo.spec import DEMO_PASSWORD
from kreds.groups.models import Group, GroupMembership, GroupStatus, MembershipRole
from kreds.meetings.models import Meeting, MeetingStatus, Venue
from kreds.organizations.models import AgeBand, Organization, Role, Topic
from kreds.organizations.queries import role_kinds
from kreds.people.models import Person
from tests import factories as f

ROLES = ["coordinator", "admin", "starter", "participant"]


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_logins(output: str) -> list[tuple[str, str]]:
    """(role, email) for each login line of the command's output."""
    rows = [line.split() for line in output.splitlines() if line.startswith("  ") and "@" in line]
    return [(row[0], row[-1]) for row in rows]


@pytest.fixture
def output(db):
    return run_load_demo()


def test_load_demo_danish_organization_has_membership_age_bands_and_starters(output):
    herning = Organization.objects.get(slug="herning")

    assert (herning.country, herning.languages) == ("DK", ["da", "en", "nb"])
    assert herning.time_zone == "Europe/Copenhagen"
    assert herning.membership_required
    assert (herning.annual_fee, herning.currency) == (100, "DKK")
    assert (herning.starters_min, herning.starters_max) == (1, 2)
    bands = AgeBand.objects.filter(organization=herning)
    assert [(b.kind, b.min_age, b.max_age) for b in bands] == [
        ("children", 6, 12),
        ("youth", 13, 24),
        ("adults", 25, 64),
        ("elderly", 65, None),
    ]
    assert Role.objects.filter(organization=herning, kind="starter").count() >= 6
    assert herning.introduction.localize("da").startswith("Velkommen")


def test_load_demo_norwegian_organization_is_free_adult_and_self_organized(output):
    norge = Organization.objects.get(slug="norge")

    assert (norge.country, norge.languages, norge.time_zone) == ("NO", ["nb", "en"], "Europe/Oslo")
    assert not norge.membership_required
    assert norge.minimum_age == 18
    assert norge.starters_min == 0
    bands = AgeBand.objects.filter(organization=norge)
    assert [(b.kind, b.min_age, b.max_age) for b in bands] == [("adults", 18, None)]
    groups = Group.objects.filter(organization=norge).prefetch_related("memberships")
    for group in groups:  # self-organized unless a starter is still with the group
        has_starter = any(
            m.role == "starter" and m.left_on is None for m in group.memberships.all()
        )
        assert group.is_self_organized is not has_starter, group.name
    assert any(group.is_self_organized for group in groups)


def test_load_demo_topics_and_venues_are_written_in_the_organizations_languages(output):
    for slug, town in [("herning", "Herning"), ("norge", "Bergen")]:
        organization = Organization.objects.get(slug=slug)
        topics = Topic.objects.filter(organization=organization)
        assert topics.count() >= 6
        for topic in topics:
            for language in organization.languages:
                assert topic.name.localize(language)
                assert topic.description.localize(language)
        assert Venue.objects.filter(organization=organization, municipality=town).exists()


def test_load_demo_creates_about_sixty_members_and_a_waiting_list_all_verified(output):
    people = Person.objects.all()
    in_groups_or_roles = people.filter(
        Q(group_memberships__isnull=False) | Q(roles__isnull=False)
    ).distinct()
    applicants = people.filter(applications__isnull=False).distinct()

    assert 55 <= in_groups_or_roles.count() <= 70
    assert 70 <= applicants.count() <= 90
    assert all(person.email.endswith(".kreds.example") for person in people)
    verified = EmailAddress.objects.filter(user__in=people, verified=True, primary=True)
    assert verified.count() == people.count()


def test_load_demo_has_every_group_status_in_each_organization(output):
    for slug in ["herning", "norge"]:
        statuses = set(
            Group.objects.filter(organization__slug=slug).values_list("status", flat=True)
        )
        assert statuses == set(GroupStatus.values), slug


def test_load_demo_group_dates_fit_their_status(output):
    for group in Group.objects.all():
        if group.status == GroupStatus.FORMING:
            assert group.started_on is None
        else:
            assert group.started_on < timezone.localdate()
        assert (group.ended_on is not None) == (group.status == GroupStatus.ENDED)
    ended_current = GroupMembership.objects.filter(
        group__status=GroupStatus.ENDED, left_on__isnull=True
    )
    assert not ended_current.exists()


def test_load_demo_running_groups_have_five_to_eight_participants(output):
    for group in Group.objects.filter(status=GroupStatus.RUNNING):
        current = group.memberships.filter(role=MembershipRole.PARTICIPANT, left_on__isnull=True)
        assert 5 <= current.count() <= 8, group.name


def test_load_demo_meetings_are_held_in_the_past_and_planned_ahead(output):
    now = timezone.now()
    for group in Group.objects.filter(status=GroupStatus.RUNNING):
        meetings = Meeting.objects.filter(group=group)
        assert meetings.filter(status=MeetingStatus.HELD, starts_at__lt=now).exists()
        assert meetings.filter(status=MeetingStatus.PLANNED, starts_at__gt=now).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__gt=now).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__lt=now).exists()
    assert set(Meeting.objects.values_list("duration_minutes", flat=True)) == {120}


def test_load_demo_output_lists_one_login_per_role(output):
    logins = demo_logins(output)

    assert [role for role, _email in logins] == ROLES
    assert f"password for all: {DEMO_PASSWORD}" in output
    assert "http://127.0.0.1:8000/" in output


def test_load_demo_every_login_authenticates_with_its_role(output):
    herning = Organization.objects.get(slug="herning")
    for role, email in demo_logins(output):
        person = authenticate(email=email, password=DEMO_PASSWORD)
        assert person is not None, email
        if role != "participant":
            assert role in role_kinds(person, herning)


def test_load_demo_participant_and_starter_logins_are_in_running_groups(output):
    logins = dict(demo_logins(output))
    for role in ["participant", "starter"]:
        membership = GroupMembership.objects.filter(
            person__email=logins[role],
            role=role,
            left_on__isnull=True,
            group__status=GroupStatus.RUNNING,
        )
        assert membership.exists(), role


def test_load_demo_participant_logs_in_through_the_login_page(client, output):
    email = dict(demo_logins(output))["participant"]

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:my_page")


def snapshot() -> dict:
    """What a visitor could tell apart: rows and their content, not their ids."""
    return {
        "organizations": sorted(Organization.objects.values_list("slug", "name")),
        "people": sorted(Person.objects.values_list("email", "display_name", "birth_year")),
        "emails": EmailAddress.objects.count(),
        "roles": sorted(Role.objects.values_list("organization__slug", "person__email", "kind")),
        "topics": Topic.objects.count(),
        "venues": sorted(Venue.objects.values_list("name", "municipality")),
        "groups": sorted(Group.objects.values_list("name", "status", "started_on", "ended_on")),
        "memberships": sorted(
            GroupMembership.objects.values_list(
                "group__name", "person__email", "role", "joined_on", "left_on"
            ),
            key=str,
        ),
        "meetings": sorted(Meeting.objects.values_list("group__name", "starts_at", "status")),
    }


def test_load_demo_twice_gives_the_same_data_without_duplicates(output):
    first = snapshot()
    ids = set(Person.objects.values_list("id", flat=True))

    second_output = run_load_demo()

    assert snapshot() == first
    assert set(Person.objects.values_list("id", flat=True)) == ids
    assert demo_logins(second_output) == demo_logins(output)


def test_load_demo_leaves_a_real_organization_with_a_demo_slug_alone(db):
    real = f.OrganizationFactory(slug="herning", contact_email="kontakt@selvhjaelp.example.org")

    with pytest.raises(CommandError):
        run_load_demo()

    assert Organization.objects.filter(pk=real.pk).exists()
    assert not Person.objects.exists()
