"""The coordinator's pages for forming groups, and answering offers on "my page"."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kreds.audit.models import AuditEvent
from kreds.groups.models import GroupMembership
from kreds.placement.models import MatchingRun, Offer, OfferStatus, RunStatus, StarterCapacity
from kreds.placement.services import accept_proposal
from tests import factories as f

from .conftest import SLOT, open_offer

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"placement:{name}", kwargs={"org": organization.slug, **kwargs})


# --- Starting a run and following it ------------------------------------------------------


def test_start_page_shows_who_waits(coordinator_client, world, make_waiting, organization):
    make_waiting(4)
    make_waiting(topic=None)
    response = coordinator_client.get(url("run_start", organization))
    content = response.content.decode()
    assert "Propose groups" in content
    assert "1 person waits for a group across topics" in content


def test_start_runs_in_the_background_and_shows_the_proposal(
    coordinator_client, world, make_waiting, organization, django_capture_on_commit_callbacks
):
    make_waiting(4, name="Waiting Person")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("run_start", organization), {"time_limit": "10"})
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("run_detail", organization, pk=run.pk)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Group 1" in page
    assert "Waiting Person 1" in page
    assert "Tuesday evening" in page
    assert "Herning Bibliotek" in page
    assert " km" in page
    assert AuditEvent.objects.filter(action="special.read", object_id=str(run.pk)).exists()


def test_start_with_nonsense_time_limit_shows_an_error(coordinator_client, world, organization):
    response = coordinator_client.post(url("run_start", organization), {"time_limit": "9999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_unfinished_run_page_polls_a_small_fragment(coordinator_client, organization):
    run = MatchingRun.objects.create(organization=organization, status=RunStatus.RUNNING)
    page = coordinator_client.get(url("run_detail", organization, pk=run.pk)).content.decode()
    progress = url("run_progress", organization, pk=run.pk)
    assert f'hx-get="{progress}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "<script>" not in page


def test_progress_fragment_asks_for_a_refresh_when_done(coordinator_client, organization):
    run = MatchingRun.objects.create(organization=organization, status=RunStatus.DONE)
    response = coordinator_client.get(
        url("run_progress", organization, pk=run.pk), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_failed_run_says_so_in_plain_words(coordinator_client, organization):
    run = MatchingRun.objects.create(organization=organization, status=RunStatus.FAILED)
    page = coordinator_client.get(url("run_detail", organization, pk=run.pk)).content.decode()
    assert "Something went wrong" in page


# --- The proposal page --------------------------------------------------------------------


def test_proposal_shows_people_left_out_with_a_reason(
    coordinator_client, world, make_waiting, make_run, organization
):
    (left_out,) = make_waiting(name="Left Out")
    run = make_run([(make_waiting(3), [world])], unassigned=[left_out])
    page = coordinator_client.get(url("run_detail", organization, pk=run.pk)).content.decode()
    assert "Left Out 1" in page
    assert "the places went to people who have waited longer" in page
    assert "Starter Birgit" in page


def test_proposal_page_query_count_does_not_grow_with_people(
    coordinator_client,
    world,
    make_waiting,
    make_run,
    organization,
    make_starter,
    topic,
    django_assert_num_queries,
):
    small = make_run([(make_waiting(3), [world])], unassigned=make_waiting(1))
    other = make_starter(topics=[topic], name="Starter Two")
    large = make_run(
        [(make_waiting(4), [world]), (make_waiting(4), [other])], unassigned=make_waiting(3)
    )
    coordinator_client.get(url("run_detail", organization, pk=small.pk))
    with django_assert_num_queries(12):
        coordinator_client.get(url("run_detail", organization, pk=small.pk))
    with django_assert_num_queries(12):
        coordinator_client.get(url("run_detail", organization, pk=large.pk))


def test_move_form_moves_and_shows_errors(
    coordinator_client, world, make_waiting, make_run, organization, far_away
):
    members = make_waiting(3)
    (far,) = make_waiting(municipality=far_away, name="Far")
    run = make_run([(members, [world])], unassigned=[far])
    response = coordinator_client.post(
        url("run_move", organization, pk=run.pk),
        {"application": far.pk, "target": "g1"},
        follow=True,
    )
    assert "The venue is too far" in response.content.decode()
    coordinator_client.post(
        url("run_move", organization, pk=run.pk), {"application": members[0].pk, "target": "list"}
    )
    run.refresh_from_db()
    assert str(members[0].pk) not in run.proposal["groups"][0]["members"]


def test_move_with_nonsense_input_is_no_500(coordinator_client, world, make_run, organization):
    run = make_run([])
    for data in (
        {},
        {"application": "x", "target": "g1"},
        {"application": "1", "target": "zz"},
        {"application": "999999", "target": "g7"},
    ):
        response = coordinator_client.post(url("run_move", organization, pk=run.pk), data)
        assert response.status_code == 302


def test_accept_one_group_from_the_page(
    coordinator_client,
    world,
    make_waiting,
    make_run,
    organization,
    django_capture_on_commit_callbacks,
):
    run = make_run([(make_waiting(3), [world])])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("run_accept", organization, pk=run.pk), {"group": "g1"}, follow=True
        )
    assert "The group is created" in response.content.decode()
    assert Offer.objects.count() == 3
    assert len(mail.outbox) == 3
    assert "http://testserver/me/" in mail.outbox[0].body


def test_accept_all_from_the_page(coordinator_client, world, make_waiting, make_run, organization):
    run = make_run([(make_waiting(3), [world])])
    response = coordinator_client.post(
        url("run_accept", organization, pk=run.pk), {"group": "all"}, follow=True
    )
    assert "1 group is created" in response.content.decode()


@pytest.mark.parametrize("group", ["g1", "all"])
def test_accept_from_the_page_says_who_is_not_offered_and_why(
    coordinator_client, world, make_waiting, make_run, organization, group
):
    members = make_waiting(4)
    run = make_run([(members, [world])])
    members[1].availability = ["mon-morning"]
    members[1].save()
    response = coordinator_client.post(
        url("run_accept", organization, pk=run.pk), {"group": group}, follow=True
    )
    text = response.content.decode()
    assert "1 person no longer fits" in text
    assert "is not offered a place and stays on the waiting list" in text
    assert "Waiting 2: This person cannot meet at the group&#x27;s weekly time." in text
    assert "No longer fitted the group when it was accepted" in text  # the left-out list
    assert Offer.objects.count() == 3


def test_accept_from_the_page_refused_when_too_few_still_fit(
    coordinator_client, world, make_waiting, make_run, organization
):
    members = make_waiting(3)
    run = make_run([(members, [world])])
    members[0].availability = ["mon-morning"]
    members[0].save()
    response = coordinator_client.post(
        url("run_accept", organization, pk=run.pk), {"group": "g1"}, follow=True
    )
    text = response.content.decode()
    assert "Only 2 people in this group still fit it" in text
    assert "The group is created" not in text
    assert not Offer.objects.exists()


def test_another_organizations_run_is_404(coordinator_client, other_organization):
    run = MatchingRun.objects.create(organization=other_organization, status=RunStatus.DONE)
    assert (
        coordinator_client.get(url("run_detail", other_organization, pk=run.pk)).status_code == 404
    )
    from django.urls import reverse as rev

    ours = rev("placement:run_detail", kwargs={"org": "herning", "pk": run.pk})
    assert coordinator_client.get(ours).status_code == 404


# --- Starters' capacity -------------------------------------------------------------------


def test_capacity_list_and_edit(coordinator_client, organization, topic, herning, age_band):
    person = f.PersonFactory(display_name="New Starter")
    f.RoleFactory(organization=organization, person=person, kind="starter")
    page = coordinator_client.get(url("capacity_list", organization)).content.decode()
    assert "New Starter" in page
    assert "Not filled in yet" in page
    response = coordinator_client.post(
        url("capacity_edit", organization, pk=person.pk),
        {"topics": [topic.pk], "municipality": herning.pk, "slots": [SLOT], "max_groups": "2"},
    )
    assert response.status_code == 302
    capacity = StarterCapacity.objects.get(person=person)
    assert capacity.max_groups == 2
    assert capacity.slots == [SLOT]


def test_capacity_of_someone_who_is_not_a_starter_is_404(coordinator_client, organization):
    person = f.PersonFactory()
    assert (
        coordinator_client.get(url("capacity_edit", organization, pk=person.pk)).status_code == 404
    )


def test_capacity_list_query_count(
    coordinator_client, organization, topic, herning, django_assert_num_queries, make_starter
):
    make_starter(topics=[topic], name="One")
    coordinator_client.get(url("capacity_list", organization))
    with django_assert_num_queries(8):
        coordinator_client.get(url("capacity_list", organization))
    make_starter(topics=[topic], name="Two")
    make_starter(topics=[topic], name="Three")
    with django_assert_num_queries(8):
        coordinator_client.get(url("capacity_list", organization))


# --- Offers -------------------------------------------------------------------------------


@pytest.fixture
def offer(world, make_waiting, make_run, coordinator):
    members = make_waiting(3)
    accept_proposal(run=make_run([(members, [world])]), key="g1", by=coordinator)
    return Offer.objects.get(application=members[0])


def test_my_offers_snippet_shows_the_offer_with_answers(client, offer):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/me/")
    request.user = offer.application.person
    html = Template("{% load placement %}{% my_offers %}").render(Context({"request": request}))
    assert "A place is waiting for you" in html
    assert "Tuesday evening" in html
    assert 'value="accept"' in html


def test_person_accepts_their_offer(client, offer, organization):
    client.force_login(offer.application.person)
    response = client.post(
        url("my_offers", organization), {"offer": offer.pk, "answer": "accept"}, follow=True
    )
    assert "Welcome to the group" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert GroupMembership.objects.filter(person=offer.application.person).exists()


def test_person_declines_their_offer(client, offer, organization):
    client.force_login(offer.application.person)
    client.post(url("my_offers", organization), {"offer": offer.pk, "answer": "decline"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_someone_elses_offer_is_404(client, offer, organization):
    client.force_login(f.PersonFactory())
    response = client.post(url("my_offers", organization), {"offer": offer.pk, "answer": "accept"})
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED


def test_answer_with_nonsense_is_404_not_500(client, offer, organization):
    client.force_login(offer.application.person)
    for data in ({}, {"offer": "x", "answer": "accept"}, {"offer": offer.pk, "answer": "maybe"}):
        assert client.post(url("my_offers", organization), data).status_code == 404


def test_coordinator_sees_and_withdraws_offers(coordinator_client, offer, organization):
    page_url = url("group_offers", organization, pk=offer.group_id)
    page = coordinator_client.get(page_url).content.decode()
    assert offer.application.person.display_name in page
    coordinator_client.post(page_url, {"offer": offer.pk})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


def test_expired_offer_is_not_shown_as_open(client, offer):
    from kreds.placement.queries import open_offers_for_person

    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert open_offers_for_person(offer.application.person) == []


def test_group_offers_query_count(
    coordinator_client,
    world,
    make_waiting,
    make_run,
    coordinator,
    organization,
    django_assert_num_queries,
):
    small = accept_proposal(run=make_run([(make_waiting(3), [world])]), key="g1", by=coordinator)
    Offer.objects.filter(group=small).exclude(
        pk=Offer.objects.filter(group=small).first().pk
    ).delete()
    coordinator_client.get(url("group_offers", organization, pk=small.pk))
    with django_assert_num_queries(9):
        coordinator_client.get(url("group_offers", organization, pk=small.pk))
    Offer.objects.filter(group=small).delete()
    for application in make_waiting(3, name="More"):
        open_offer(application, small)
    with django_assert_num_queries(9):
        coordinator_client.get(url("group_offers", organization, pk=small.pk))


def test_runs_list_query_count(coordinator_client, organization, django_assert_num_queries):
    MatchingRun.objects.create(organization=organization, status=RunStatus.DONE)
    coordinator_client.get(url("runs", organization))
    with django_assert_num_queries(8):
        coordinator_client.get(url("runs", organization))
    for _ in range(2):
        MatchingRun.objects.create(organization=organization, status=RunStatus.FAILED)
    with django_assert_num_queries(8):
        coordinator_client.get(url("runs", organization))


def test_progress_opened_without_htmx_is_a_whole_page(coordinator_client, organization):
    run = MatchingRun.objects.create(organization=organization, status=RunStatus.RUNNING)

    response = coordinator_client.get(url("run_progress", organization, pk=run.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in page
    assert "<title>" in page
    assert 'id="run-progress"' in page


def my_page(client) -> str:
    return client.get(reverse("people:my_page")).content.decode()


def test_my_page_shows_offered_a_place_then_placed(client, offer, organization):
    client.force_login(offer.application.person)
    assert "Offered a place" in my_page(client)
    client.post(url("my_offers", organization), {"offer": offer.pk, "answer": "accept"})
    text = my_page(client)
    assert "Placed" in text
    assert "Offered a place" not in text
    assert "A place is waiting for you" not in text


def test_my_page_shows_an_offer_past_its_deadline_as_time_passed(client, offer, organization):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=5))
    client.force_login(offer.application.person)
    text = my_page(client)
    assert "The time to answer the offered place has passed." in text
    assert "Offered a place" not in text
    assert 'value="accept"' not in text
    offers_page = client.get(url("my_offers", organization)).content.decode()
    assert "the time to answer has passed" in offers_page
    assert "answer by" not in offers_page


def test_my_page_refuses_a_place_at_the_time_of_a_group_the_person_meets(
    client, offer, organization, make_group
):
    person = offer.application.person
    other = make_group(venue=None)
    f.GroupMembershipFactory(group=other, person=person)
    client.force_login(person)
    response = client.post(
        url("my_offers", organization), {"offer": offer.pk, "answer": "accept"}, follow=True
    )
    assert "You already meet in a group on Tuesday evening" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED
    assert not GroupMembership.objects.filter(group=offer.group, person=person).exists()


def test_withdraw_on_my_page_with_an_open_offer_offers_the_place_on(
    client, offer, organization, make_waiting, django_capture_on_commit_callbacks
):
    (next_person,) = make_waiting(days=60, name="Next")
    application = offer.application
    client.force_login(application.person)
    mail.outbox.clear()
    withdraw = reverse(
        "intake:application_withdraw", kwargs={"org": organization.slug, "pk": application.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw, follow=True)
    assert "Your application is withdrawn" in response.content.decode()
    assert Offer.objects.get(application=next_person).group_id == offer.group_id
    assert [m.to for m in mail.outbox] == [[next_person.person.email]]
    assert "http://testserver/me/" in mail.outbox[0].body


def test_withdraw_confirmation_says_the_offered_place_goes_on(client, offer, organization):
    client.force_login(offer.application.person)
    withdraw = reverse(
        "intake:application_withdraw",
        kwargs={"org": organization.slug, "pk": offer.application_id},
    )
    text = client.get(withdraw).content.decode()
    assert "The place you were offered goes to the next person on the waiting list." in text
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.OFFERED
