"""A POST with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS gets the project's Dutch 400
page, with DEBUG on as with it off (third outside probe: Django's English debug page
under DEBUG=1, and "Bad Request (400)" in English without it); lens.web.bad_request."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_too_many_fields_is_the_dutch_400_page(settings, loaded_catalogue, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("check:form"), fields)
    assert response.status_code == 400
    text = response.content.decode()
    assert '<html lang="nl"' in text
    assert "Het verzoek kon niet worden gelezen" in text
    assert "TooManyFieldsSent" not in text and "Bad Request" not in text
