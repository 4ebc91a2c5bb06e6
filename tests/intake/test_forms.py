from django.utils import timezone

from kreds.intake.forms import ApplicationFilterForm, ApplicationForm
from kreds.privacy.texts import CURRENT
from tests import factories as f

THIS_YEAR = timezone.localdate().year


def valid_data(topic, municipality, **changes):
    values = {
        "topic": str(topic.pk),
        "birth_year": "1975",
        "municipality": str(municipality.pk),
        "availability": ["tue-evening"],
        "consent": "on",
    }
    values.update(changes)
    return values


def make_form(organization, person, data=None):
    return ApplicationForm(data, organization=organization, person=person)


def test_topic_choices_are_active_topics_and_mixed_only_where_offered(
    organization, applicant, topic, municipality
):
    f.TopicFactory(organization=organization, is_active=False)
    form = make_form(organization, applicant)
    assert [value for value, _label in form.fields["topic"].choices] == [str(topic.pk)]

    organization.offers_mixed_groups = True
    form = make_form(organization, applicant)
    assert [value for value, _label in form.fields["topic"].choices] == [str(topic.pk), "mixed"]


def test_valid_form_cleans_topic_and_mixed(organization, applicant, topic, municipality):
    form = make_form(organization, applicant, valid_data(topic, municipality))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topic"] == topic

    organization.offers_mixed_groups = True
    data = {**valid_data(topic, municipality), "topic": "mixed"}
    form = make_form(organization, applicant, data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["topic"] is None


def test_birth_year_below_minimum_age_explains_where_to_turn(
    organization, applicant, topic, municipality
):
    organization.minimum_age = 18
    organization.contact_phone = "97 12 34 56"
    data = valid_data(topic, municipality, birth_year=str(THIS_YEAR - 15))

    form = make_form(organization, applicant, data)

    assert not form.is_valid()
    [message] = form.errors["birth_year"]
    assert "aged 18 and over" in message
    assert organization.contact_email in message
    assert "97 12 34 56" in message


def test_keep_apart_refuses_a_line_that_is_no_email(organization, applicant, topic, municipality):
    data = valid_data(topic, municipality, keep_apart="bo@example.org\nmy neighbour\n\n")

    form = make_form(organization, applicant, data)

    assert not form.is_valid()
    assert "my neighbour" in form.errors["keep_apart"][0]


def test_keep_apart_gives_a_list_of_addresses(organization, applicant, topic, municipality):
    data = valid_data(topic, municipality, keep_apart=" bo@example.org \r\n\r\nem@example.org")

    form = make_form(organization, applicant, data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["keep_apart"] == ["bo@example.org", "em@example.org"]


def test_missing_consent_says_nothing_is_saved(organization, applicant, topic, municipality):
    data = valid_data(topic, municipality)
    del data["consent"]

    form = make_form(organization, applicant, data)

    assert not form.is_valid()
    assert "nothing has been saved" in form.errors["consent"][0]
    assert form.fields["consent"].label == CURRENT["topic"].text


def test_membership_is_asked_only_where_required(organization, applicant, topic, municipality):
    assert "membership" not in make_form(organization, applicant).fields

    organization.membership_required = True
    form = make_form(organization, applicant, valid_data(topic, municipality))
    assert not form.is_valid()
    assert "membership" in form.errors

    data = valid_data(topic, municipality, membership="will_become")
    form = make_form(organization, applicant, data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["is_member"] is False


def test_form_is_prefilled_from_the_profile(organization, topic, municipality):
    person = f.PersonFactory(birth_year=1960, gender="man", municipality="herning")

    form = make_form(organization, person)

    assert form["birth_year"].value() == 1960
    assert form["gender"].value() == "man"
    assert form["municipality"].value() == municipality.pk


def test_availability_grid_labels_every_checkbox(organization, applicant):
    html = str(make_form(organization, applicant)["availability"])

    assert "<table" in html
    assert html.count('type="checkbox"') == 21
    assert '<th scope="row">Tuesday</th>' in html
    assert "Tuesday evening" in html


def test_filter_form_ignores_nonsense(organization, topic, age_band):
    form = ApplicationFilterForm(
        {"topic": "999", "age_band": "x", "waited": "7", "municipality": "1; drop"},
        organization=organization,
    )

    filters = form.filters("waiting")

    assert (filters.topic, filters.age_band, filters.waited_days, filters.municipality) == (
        None,
        None,
        None,
        None,
    )
