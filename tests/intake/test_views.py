import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kreds.audit.models import READ_SPECIAL, AuditEvent
from kreds.intake.models import Application, ApplicationStatus
from kreds.privacy.models import Consent
from tests import factories as f

WAITING = ApplicationStatus.WAITING
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def apply_url(organization):
    return reverse("intake:apply", kwargs={"org": organization.slug})


def post_data(topic, municipality, **changes):
    values = {
        "topic": str(topic.pk),
        "birth_year": "1975",
        "municipality": str(municipality.pk),
        "availability": ["tue-evening", "thu-morning"],
        "note": "Mornings are hard for me.",
        "consent": "on",
    }
    values.update(changes)
    return values


def page(response) -> str:
    return response.content.decode()


# Applying


def test_apply_sends_anonymous_visitor_to_log_in_and_back(client, organization):
    response = client.get(apply_url(organization))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={apply_url(organization)}"


def test_apply_page_shows_topics_grid_and_consent_text(
    applicant_client, organization, topic, municipality
):
    response = applicant_client.get(apply_url(organization))

    text = page(response)
    assert "Apply for a group" in text
    assert "Topic" in text
    assert str(topic.name.localize("en")) in text
    assert "Tuesday evening" in text
    assert "I agree that the organization keeps the topic I apply for" in text


def test_apply_page_without_municipalities_says_to_write_instead(
    applicant_client, organization, topic
):
    response = applicant_client.get(apply_url(organization))

    assert "You cannot apply here online yet." in page(response)
    assert organization.contact_email in page(response)


def test_apply_saves_application_and_shows_it_on_my_page(
    applicant_client, applicant, organization, topic, municipality
):
    response = applicant_client.post(apply_url(organization), post_data(topic, municipality))

    assert response.status_code == 302
    assert response["Location"] == reverse("people:my_page")
    application = Application.objects.get(person=applicant)
    assert application.availability == ["tue-evening", "thu-morning"]
    assert application.note == "Mornings are hard for me."
    my_page = page(applicant_client.get(reverse("people:my_page")))
    assert "We have received your application" in my_page
    assert "My applications" in my_page
    assert "Received" in my_page


def test_apply_without_consent_saves_nothing_and_says_why(
    applicant_client, organization, topic, municipality
):
    data = post_data(topic, municipality)
    del data["consent"]

    response = applicant_client.post(apply_url(organization), data)

    assert response.status_code == 200
    assert "nothing has been saved" in page(response)
    assert not Application.objects.exists()
    assert not Consent.objects.exists()


def test_apply_too_young_is_refused_kindly(applicant_client, organization, topic, municipality):
    organization.minimum_age = 18
    organization.save()

    response = applicant_client.post(
        apply_url(organization), post_data(topic, municipality, birth_year=str(THIS_YEAR - 14))
    )

    assert "are for people aged 18 and over" in page(response)
    assert organization.contact_email in page(response)
    assert not Application.objects.exists()


def test_apply_shows_membership_fee_where_membership_is_required(
    applicant_client, organization, topic, municipality
):
    organization.membership_required = True
    organization.annual_fee = 100
    organization.save()

    response = applicant_client.get(apply_url(organization))

    assert "Membership costs 100 DKK a year." in page(response)
    assert "I will become a member" in page(response)


def test_apply_refuses_too_many_posts_with_429(
    settings, applicant_client, organization, topic, municipality
):
    settings.ACCOUNT_RATE_LIMITS = {"intake": "2/h/user"}
    cache.clear()
    data = post_data(topic, municipality)
    del data["consent"]

    answers = [applicant_client.post(apply_url(organization), data).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    cache.clear()


# My page, changing and withdrawing


def test_my_page_shows_how_many_others_wait(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    make_application(organization, topic=topic, person=applicant, status=WAITING)
    for _ in range(3):
        make_application(organization, topic=topic, status=WAITING)

    text = page(applicant_client.get(reverse("people:my_page")))

    assert "Waiting" in text
    assert "3 other people wait for the same topic." in text


@pytest.mark.parametrize("count", [1, 3])
def test_my_page_query_count_does_not_grow_with_applications(
    django_assert_num_queries,
    applicant_client,
    applicant,
    organization,
    topic,
    make_application,
    municipality,
    count,
):
    for _ in range(count):
        make_application(
            organization,
            topic=f.TopicFactory(organization=organization),
            person=applicant,
            status=WAITING,
        )
    applicant_client.get(reverse("people:my_page"))  # warm up the session

    with django_assert_num_queries(QUERIES_MY_PAGE):
        response = applicant_client.get(reverse("people:my_page"))

    assert page(response).count("Nobody else waits for the same topic yet.") == count


QUERIES_MY_PAGE = 10  # session, person, staff check, scope, organizations, applications (2), roles, groups, offers


def edit_url(application):
    return reverse(
        "intake:application_edit",
        kwargs={"org": application.organization.slug, "pk": application.pk},
    )


def withdraw_url(application):
    return reverse(
        "intake:application_withdraw",
        kwargs={"org": application.organization.slug, "pk": application.pk},
    )


def test_applicant_changes_availability(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic, person=applicant)

    response = applicant_client.post(
        edit_url(application),
        {"municipality": str(municipality.pk), "availability": ["sat-morning", "mon-evening"]},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.availability == ["mon-evening", "sat-morning"]
    assert "Saturday morning" in page(applicant_client.get(reverse("people:my_page")))


def test_withdraw_asks_first_then_deletes(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic, person=applicant)

    confirm = applicant_client.get(withdraw_url(application))
    assert "Yes, withdraw and delete" in page(confirm)
    assert Application.objects.exists()

    response = applicant_client.post(withdraw_url(application))

    assert response.status_code == 302
    assert not Application.objects.exists()
    assert Consent.objects.get().withdrawn_at is not None
    assert "Your application is withdrawn" in page(applicant_client.get(reverse("people:my_page")))


def test_someone_elses_application_is_404(
    client, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic)
    client.force_login(f.PersonFactory())

    assert client.get(edit_url(application)).status_code == 404
    assert client.post(withdraw_url(application)).status_code == 404
    assert Application.objects.exists()


def test_own_application_under_other_organizations_slug_is_404(
    applicant_client,
    applicant,
    organization,
    other_organization,
    topic,
    municipality,
    make_application,
):
    application = make_application(organization, topic=topic, person=applicant)
    url = reverse(
        "intake:application_edit", kwargs={"org": other_organization.slug, "pk": application.pk}
    )

    assert applicant_client.get(url).status_code == 404


# The coordinator's side


def list_url(organization, name="intake_manage:waiting_list"):
    return reverse(name, kwargs={"org": organization.slug})


def detail_url(application):
    return reverse(
        "intake_manage:detail", kwargs={"org": application.organization.slug, "pk": application.pk}
    )


def test_waiting_list_shows_longest_waiting_first_with_counts(
    coordinator_client, organization, topic, age_band, municipality, make_application
):
    now = timezone.now()
    recent = f.PersonFactory(display_name="Recent Rita")
    oldest = f.PersonFactory(display_name="Oldest Ole")
    make_application(
        organization,
        topic=topic,
        person=recent,
        status=WAITING,
        waiting_since=now - dt.timedelta(days=3),
    )
    make_application(
        organization,
        topic=topic,
        person=oldest,
        status=WAITING,
        waiting_since=now - dt.timedelta(days=150),
    )

    text = page(coordinator_client.get(list_url(organization)))

    assert text.index("Oldest Ole") < text.index("Recent Rita")
    assert "150" in text
    assert "Adults" in text  # the age band column of the counts


def test_waiting_list_filters_by_wait_time(
    coordinator_client, organization, topic, municipality, make_application
):
    now = timezone.now()
    make_application(
        organization,
        topic=topic,
        person=f.PersonFactory(display_name="Long Lis"),
        status=WAITING,
        waiting_since=now - dt.timedelta(days=100),
    )
    make_application(
        organization,
        topic=topic,
        person=f.PersonFactory(display_name="Short Sif"),
        status=WAITING,
        waiting_since=now - dt.timedelta(days=10),
    )

    text = page(coordinator_client.get(list_url(organization), {"waited": "90"}))

    assert "Long Lis" in text
    assert "Short Sif" not in text


def test_waiting_list_ignores_nonsense_filters(coordinator_client, organization, municipality):
    response = coordinator_client.get(
        list_url(organization), {"topic": "x", "age_band": "-1", "waited": "abc"}
    )

    assert response.status_code == 200


def test_waiting_list_records_a_read_per_application_shown(
    coordinator_client, coordinator, organization, topic, municipality, make_application
):
    shown = make_application(organization, topic=topic, status=WAITING)

    coordinator_client.get(list_url(organization))

    event = AuditEvent.objects.get(action=READ_SPECIAL)
    assert (event.actor, event.object_id) == (coordinator, str(shown.pk))


@pytest.mark.parametrize("count", [1, 3])
def test_waiting_list_query_count_does_not_grow(
    django_assert_num_queries,
    coordinator_client,
    organization,
    topic,
    age_band,
    municipality,
    make_application,
    count,
):
    for _ in range(count):
        make_application(organization, topic=topic, status=WAITING)
    coordinator_client.get(list_url(organization))

    with django_assert_num_queries(QUERIES_WAITING_LIST):
        coordinator_client.get(list_url(organization))


QUERIES_WAITING_LIST = 14


def test_new_applications_list_leaves_out_the_waiting(
    coordinator_client, organization, topic, municipality, make_application
):
    make_application(organization, topic=topic, person=f.PersonFactory(display_name="New Nina"))
    make_application(
        organization,
        topic=topic,
        person=f.PersonFactory(display_name="Wait Walter"),
        status=WAITING,
    )

    text = page(coordinator_client.get(list_url(organization, "intake_manage:list")))

    assert "New Nina" in text
    assert "Wait Walter" not in text


def test_detail_shows_what_the_person_told_us_and_records_the_read(
    coordinator_client, coordinator, organization, topic, municipality, make_application
):
    application = make_application(
        organization,
        topic=topic,
        note="Please call after 10.",
        availability=["wed-afternoon"],
        person=f.PersonFactory(display_name="Detail Dora"),
    )

    text = page(coordinator_client.get(detail_url(application)))

    assert "Detail Dora" in text
    assert "Please call after 10." in text
    assert "Wednesday afternoon" in text
    event = AuditEvent.objects.get(action=READ_SPECIAL)
    assert event.object_id == str(application.pk)
    assert "note" in event.changes["fields"]


def test_detail_plans_the_talk_then_records_the_outcome(
    coordinator_client, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic)

    coordinator_client.post(
        detail_url(application), {"action": "plan", "plan-talk_on": "2026-12-03"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.TALK_PLANNED
    assert "Intake talk planned" in page(coordinator_client.get(detail_url(application)))

    coordinator_client.post(
        detail_url(application), {"action": "outcome", "outcome-outcome": "fits"}
    )

    application.refresh_from_db()
    assert application.status == WAITING
    assert application.waiting_since is not None


def test_detail_outcome_without_choice_shows_an_error(
    coordinator_client, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic)

    response = coordinator_client.post(detail_url(application), {"action": "outcome"})

    assert "Please choose how the talk ended." in page(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_other_organizations_application_is_404_for_staff(
    coordinator_client, other_organization, other_municipality, make_application
):
    theirs = make_application(other_organization, topic=None)
    url = reverse("intake_manage:detail", kwargs={"org": "herning", "pk": theirs.pk})

    assert coordinator_client.get(url).status_code == 404


def test_participant_cannot_open_the_waiting_list(client, participant, organization):
    client.force_login(participant)

    assert client.get(list_url(organization)).status_code == 404


def test_waiting_list_shows_fifty_per_page(
    coordinator_client, organization, topic, municipality, make_application
):
    for _ in range(51):
        make_application(organization, topic=topic, status=WAITING)

    first = page(coordinator_client.get(list_url(organization)))
    second = page(coordinator_client.get(list_url(organization), {"page": "2"}))
    nonsense = coordinator_client.get(list_url(organization), {"page": "x"})

    assert "51 people" in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert nonsense.status_code == 200
    assert AuditEvent.objects.filter(action=READ_SPECIAL).count() == 51 + 50


def test_apply_again_for_the_same_topic_says_so(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    make_application(organization, topic=topic, person=applicant)

    response = applicant_client.post(apply_url(organization), post_data(topic, municipality))

    assert "You have already applied for a group about this." in page(response)
    assert Application.objects.count() == 1


def test_withdraw_page_says_the_other_applications_stay(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic, person=applicant)
    second = f.TopicFactory(organization=organization)
    make_application(organization, topic=second, person=applicant)

    text = page(applicant_client.get(withdraw_url(application)))

    assert "Your other applications stay as they are" in text
    assert str(second.name.localize("en")) in text
    assert "all of these are deleted" not in text


def test_my_page_withdraw_button_withdraws_that_application_in_one_click(
    applicant_client, applicant, organization, topic, municipality, make_application
):
    application = make_application(organization, topic=topic, person=applicant)
    second = f.TopicFactory(organization=organization)
    kept = make_application(organization, topic=second, person=applicant)
    my_page = page(applicant_client.get(reverse("people:my_page")))
    assert f'<form method="post" action="{withdraw_url(application)}"' in my_page

    response = applicant_client.post(withdraw_url(application), follow=True)

    assert list(Application.objects.all()) == [kept]
    text = page(response)
    assert "Your application is withdrawn" in text
    assert str(second.name.localize("en")) in text
    assert str(topic.name.localize("en")) not in text


def test_my_page_shows_each_status_before_a_place_in_plain_words(
    applicant_client, applicant, coordinator, organization, topic, municipality, make_application
):
    from kreds.intake import services

    received = make_application(organization, topic=topic, person=applicant)
    talk = make_application(
        organization, topic=f.TopicFactory(organization=organization), person=applicant
    )
    services.plan_intake_talk(application=talk, on=dt.date(2031, 3, 4), by=coordinator)
    waiting_topic = f.TopicFactory(organization=organization)
    waiting = make_application(organization, topic=waiting_topic, person=applicant)
    services.record_intake_outcome(application=waiting, outcome="fits", by=coordinator)
    for _ in range(2):
        make_application(organization, topic=waiting_topic, status=WAITING)

    text = page(applicant_client.get(reverse("people:my_page")))

    assert received.status == ApplicationStatus.RECEIVED
    assert "Received" in text
    assert "Intake talk planned" in text
    assert "March 4, 2031" in text
    assert "Waiting" in text
    assert "2 other people wait for the same topic." in text
