"""The accessibility statement: public, linked from every page, naming the council's contact."""

from django.urls import reverse


def test_anyone_can_read_the_statement_without_signing_in(client, db):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert "Accessibility statement for Stocktake" in response.text
    assert "Equality and Human Rights Commission" in response.text
    assert "This statement was prepared on" in response.text


def test_it_gives_the_councils_contact_details_from_settings(client, db, settings):
    settings.SERVICE_OWNER = "the London Borough of Example"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "digital@example.gov.uk"
    settings.ACCESSIBILITY_CONTACT_PHONE = "020 7946 0000"

    response = client.get(reverse("accessibility"))

    assert "run by the London Borough of Example" in response.text
    assert 'href="mailto:digital@example.gov.uk"' in response.text
    assert "call 020 7946 0000" in response.text


def test_without_contact_settings_it_sends_people_to_their_improvement_team(client, db):
    response = client.get(reverse("accessibility"))

    assert "mailto:" not in response.text
    assert "tell the improvement team you work with" in response.text


def test_every_page_links_to_it(client, db):
    response = client.get(reverse("login"))

    assert f'href="{reverse("accessibility")}">Accessibility statement</a>' in response.text
