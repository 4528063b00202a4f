"""A thread started from a facility's page starts on the topic of that kind of facility."""

from django.urls import reverse

from community.models import Facility


def test_a_thread_from_a_nurserys_page_starts_on_the_nursery_topic(alice_client, facility):
    facility_page = alice_client.get(reverse("community:facility", args=[facility.pk])).content.decode()
    link = f'{reverse("community:thread_create")}?facility={facility.pk}'
    assert link in facility_page

    form = alice_client.get(link).content.decode()
    assert '<option value="nurseries" selected>保育園</option>' in form
    assert "---------" not in form


def test_a_thread_from_a_schools_page_starts_on_the_school_topic(alice_client):
    school = Facility.objects.create(name="テスト小学校", kind=Facility.Kind.ELEMENTARY, source_key="id:S1")
    form = alice_client.get(f'{reverse("community:thread_create")}?facility={school.pk}').content.decode()
    assert '<option value="schools" selected>学校</option>' in form
