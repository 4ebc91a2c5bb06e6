"""Translated fields: one labelled input per language the organization offers."""

from kreds.organizations.forms import TopicForm


def test_topic_form_orders_language_inputs_as_the_organization_offers_them(other_organization):
    form = TopicForm(organization=other_organization)
    html = str(form["name"].as_field_group())
    assert html.index('lang="nb"') < html.index('lang="en"')
    assert 'lang="da"' not in html
    assert '<label for="id_name_0">Norwegian Bokmål</label>' in html


def test_topic_form_requires_only_the_main_language_input(organization):
    html = str(TopicForm(organization=organization)["name"].as_field_group())
    first, rest = html.split('id="id_name_1"', 1)
    assert "required" in first.split('name="name_0"', 1)[1]
    assert "required" not in rest


def test_topic_form_has_no_placeholder_standing_in_for_labels(organization):
    html = str(TopicForm(organization=organization)["name"].as_field_group())
    assert "placeholder" not in html
    assert "<fieldset" in html
    assert "<legend>Name</legend>" in html


def test_topic_form_accepts_name_in_main_language_only(organization):
    form = TopicForm({"name_0": "Sorg", "position": "0"}, organization=organization)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"].localize("da") == "Sorg"
