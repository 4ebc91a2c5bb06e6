import datetime as dt

from django.utils import timezone

from kreds.intake import queries
from kreds.intake.models import ApplicationStatus
from kreds.intake.queries import Filters
from kreds.organizations.models import Municipality
from tests import factories as f

WAITING = ApplicationStatus.WAITING
THIS_YEAR = timezone.localdate().year


def test_keep_apart_pairs_matches_listed_address_to_applicant(
    organization, topic, municipality, make_application
):
    bo = f.PersonFactory(email="bo@example.org")
    anna = make_application(organization, topic=topic, keep_apart=["BO@example.org"])
    bos = make_application(organization, topic=topic, person=bo)
    make_application(organization, topic=topic, keep_apart=["nobody@example.org"])

    assert queries.keep_apart_pairs(organization) == {(anna.pk, bos.pk)}


def test_keep_apart_pairs_leaves_out_closed_applications_and_other_organizations(
    organization, other_organization, topic, municipality, other_municipality, make_application
):
    bo = f.PersonFactory(email="bo@example.org")
    make_application(organization, topic=topic, keep_apart=["bo@example.org"])
    make_application(organization, topic=topic, person=bo, status=ApplicationStatus.REFERRED)
    make_application(other_organization, topic=None, person=bo)

    assert queries.keep_apart_pairs(organization) == set()


def test_keep_apart_pairs_ignores_a_person_listing_themselves(
    organization, topic, municipality, make_application
):
    anna = f.PersonFactory(email="anna@example.org")
    make_application(organization, topic=topic, person=anna, keep_apart=["anna@example.org"])
    make_application(organization, topic=None, person=anna)

    assert queries.keep_apart_pairs(organization) == set()


def test_person_applications_count_others_waiting_for_the_same_topic(
    organization, topic, municipality, make_application
):
    anna = f.PersonFactory()
    mine = make_application(organization, topic=topic, person=anna, status=WAITING)
    for _ in range(2):
        make_application(organization, topic=topic, status=WAITING)
    make_application(organization, topic=topic)  # not yet on the waiting list
    make_application(organization, topic=f.TopicFactory(organization=organization), status=WAITING)

    [application] = queries.person_applications(anna)

    assert application == mine
    assert application.others_waiting == 2


def test_applications_for_staff_puts_longest_waiting_first(
    organization, topic, municipality, make_application
):
    now = timezone.now()
    recent = make_application(
        organization, topic=topic, status=WAITING, waiting_since=now - dt.timedelta(days=5)
    )
    oldest = make_application(
        organization, topic=topic, status=WAITING, waiting_since=now - dt.timedelta(days=200)
    )
    make_application(organization, topic=topic)  # before the intake talk: another list

    waiting = list(queries.applications_for_staff(organization, Filters(stage="waiting")))

    assert waiting == [oldest, recent]


def test_applications_for_staff_filters(
    organization, topic, age_band, municipality, make_application
):
    now = timezone.now()
    ikast = Municipality.objects.create(
        organization=organization, name="Ikast", latitude=56.1, longitude=9.1
    )
    match = make_application(
        organization,
        topic=topic,
        status=WAITING,
        birth_year=THIS_YEAR - 40,
        waiting_since=now - dt.timedelta(days=100),
    )
    make_application(organization, topic=topic, status=WAITING, birth_year=THIS_YEAR - 70)
    make_application(organization, topic=None, status=WAITING, birth_year=THIS_YEAR - 40)
    make_application(
        organization, topic=topic, status=WAITING, municipality=ikast, birth_year=THIS_YEAR - 40
    )

    def ids(**filters):
        found = queries.applications_for_staff(organization, Filters(stage="waiting", **filters))
        return {application.pk for application in found}

    assert match.pk in ids(topic=topic)
    assert len(ids(mixed=True)) == 1
    assert len(ids(age_band=age_band)) == 3  # 25-64
    assert ids(topic=topic, age_band=age_band, municipality=municipality) == {match.pk}
    assert ids(waited_days=90) == {match.pk}


def test_counts_by_topic_and_age_band(
    organization, topic, age_band, municipality, make_application
):
    for birth_year in (THIS_YEAR - 30, THIS_YEAR - 40, THIS_YEAR - 80):
        make_application(organization, topic=topic, status=WAITING, birth_year=birth_year)
    make_application(organization, topic=None, status=WAITING, birth_year=THIS_YEAR - 30)
    make_application(organization, topic=topic)  # not waiting

    rows = queries.counts_by_topic_and_age_band(organization, "waiting", [age_band], year=THIS_YEAR)

    assert [(row.topic, row.cells, row.outside, row.total) for row in rows] == [
        (topic, [2], 1, 3),
        (None, [1], 0, 1),
    ]


def test_band_for_uses_the_age_reached_this_year(age_band):
    assert queries.band_for(2000, [age_band], year=2025) == age_band  # 25
    assert queries.band_for(2001, [age_band], year=2025) is None  # 24


def test_keep_apart_pairs_follows_an_applicant_who_changed_email(
    organization, topic, municipality, make_application
):
    bo = f.PersonFactory(email="bo.old@example.org")
    bos = make_application(organization, topic=topic, person=bo)
    bo.email = "bo.new@example.org"
    bo.save()
    anna = make_application(organization, topic=topic, keep_apart=["bo.new@example.org"])

    assert queries.keep_apart_pairs(organization) == {(bos.pk, anna.pk)}
