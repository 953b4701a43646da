"""A record's address is worked out once and kept (interventions/kit/routing.py `address`):
it is the address `reverse` gives, and a change of URL configuration forgets what was kept."""

import pytest
from django.test import override_settings
from django.urls import path, reverse

from interventions.kit.routing import address


def test_an_address_is_what_reverse_gives() -> None:
    for name, kwargs in [
        ("interventions:milestone_detail", {"slug": "tower-hamlets-2025", "pk": 7}),
        ("interventions:programme_detail", {"slug": "borsetshire", "number": 12}),
        ("boards:board_detail", {"slug": "x", "key": "tab"}),
    ]:
        assert address(name, **kwargs) == reverse(name, kwargs=kwargs)
        assert address(name, **kwargs) == reverse(name, kwargs=kwargs)  # kept, the same


def test_an_unknown_address_fails_as_reverse_does() -> None:
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        address("interventions:milestone_detail", slug="x", pk="not-a-number")


def _page(request):  # pragma: no cover - only reversed, never served
    raise AssertionError


# The same name as the service's health check, at another address.
urlpatterns = [path("moved/health/", _page, name="healthz")]


def test_a_new_url_configuration_forgets_the_kept_addresses() -> None:
    before = address("healthz")
    assert before == reverse("healthz") != "/moved/health/"
    with override_settings(ROOT_URLCONF=__name__):
        assert address("healthz") == "/moved/health/"
    assert address("healthz") == before
