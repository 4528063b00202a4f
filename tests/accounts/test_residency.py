import pytest
from django.core.exceptions import ValidationError

from accounts.models import PostalCode, Town
from accounts.services import postal_code_normalise, town_for_postal_code, towns_load


def _refusal(check, typed: str) -> str:
    """The code of the ValidationError that `check` raises for what was typed."""
    with pytest.raises(ValidationError) as exc:
        check(typed)
    return exc.value.code


@pytest.mark.parametrize(
    "typed",
    ["1040061", "104-0061", "〒104-0061", "１０４－００６１", "104 0061", " 104ー0061 ", "104\u22120061",
     "104\u20100061", "104\u20110061", "104\u20120061", "104\u20130061", "104\u20140061", "104\u20150061",
     "104\uff0d0061", "104\u30fc0061", "104\uff700061"],
)
def test_it_reads_postal_codes_the_way_people_type_them(typed):
    assert postal_code_normalise(typed) == "1040061"


@pytest.mark.parametrize("typed", ["", "104", "10400611", "abc-defg", "104-006x"])
def test_it_refuses_malformed_postal_codes(typed):
    assert _refusal(postal_code_normalise, typed) == "postal_code_format"


@pytest.mark.django_db
def test_it_finds_the_town_of_a_ward_postal_code():
    assert town_for_postal_code("104-0061").name == "銀座"
    assert town_for_postal_code("103-0013").name == "日本橋人形町"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["160-0022", "100-0001", "530-0001", "103-0000"])
def test_it_refuses_a_postal_code_outside_the_ward(code):
    # 新宿区, 千代田区, 大阪市, and the ward's catch-all code that is no home address.
    assert _refusal(town_for_postal_code, code) == "postal_code_outside"


@pytest.mark.django_db
def test_high_rise_building_codes_belong_to_the_town_the_building_stands_in():
    # 晴海オフィスタワーＸ has one code per floor; they all mean 晴海.
    assert PostalCode.objects.get(code="1046001").town.name == "晴海"
    assert not Town.objects.filter(name__contains="タワー").exists()


@pytest.mark.django_db
def test_reloading_towns_updates_instead_of_duplicating():
    towns, codes = Town.objects.count(), PostalCode.objects.count()
    assert towns > 30 and codes > 200
    towns_load()
    assert (Town.objects.count(), PostalCode.objects.count()) == (towns, codes)


@pytest.mark.django_db
def test_another_municipality_is_configuration(settings):
    settings.MUNICIPALITY_PREFECTURE = "東京都"
    settings.MUNICIPALITY_CITY = "千代田区"
    towns_load()
    assert PostalCode.objects.get(code="1000001").town.name == "千代田"
