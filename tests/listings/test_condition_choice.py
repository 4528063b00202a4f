"""The listing form preselects no condition: the poster says what state the item is in."""

import pytest
from django.urls import reverse

from tests.listings.test_views import _form


@pytest.mark.django_db
def test_no_condition_is_preselected_and_leaving_it_says_so(alice_client):
    page = alice_client.get(reverse("listings:create")).content.decode()
    assert '<option value="" selected>状態を選んでください</option>' in page
    assert '<option value="new" selected>' not in page

    response = alice_client.post(reverse("listings:create"), _form(condition=""))
    assert response.status_code == 200
    assert "品物の状態を選んでください。" in response.content.decode()
