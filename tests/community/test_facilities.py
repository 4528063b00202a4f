import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.facilities import facilities_import
from community.models import Facility
from core.models import AuditRecord

HEADER = "全国地方公共団体コード,ID,名称,名称_カナ,種別,住所,緯度,経度,URL,独自の列\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(rows) + "\n").encode(encoding)


def test_it_imports_columns_by_header_name_and_ignores_unknown_ones(staff):
    data = csv_bytes(
        "131024,A1,架空さくら保育園,カクウサクラホイクエン,認可保育所,東京都中央区銀座1-1-1,35.67,139.76,https://example.com/,無視",
    )
    result = facilities_import(actor=staff, data=data, filename="hoiku.csv")
    assert (result.created, result.updated, result.errors) == (1, 0, [])
    facility = Facility.objects.get()
    assert (facility.name, facility.kind, facility.town.name, str(facility.latitude)) == ("架空さくら保育園", "ninka_hoikuen", "銀座", "35.670000")
    assert AuditRecord.objects.get().action == AuditRecord.Action.FACILITY_IMPORT


def test_column_order_does_not_matter(staff):
    data = "URL,住所,名称,種別\n,東京都中央区月島1-1-1,架空つきしま小学校,小学校\n".encode()
    facilities_import(actor=staff, data=data)
    facility = Facility.objects.get()
    assert (facility.kind, facility.town.name) == ("elementary", "月島")


def test_reimporting_updates_instead_of_duplicating(staff):
    facilities_import(actor=staff, data=csv_bytes("131024,A1,架空保育園,,認可保育所,東京都中央区銀座1-1-1,,,,"))
    result = facilities_import(actor=staff, data=csv_bytes("131024,A1,架空保育園 本園,,認可保育所,東京都中央区銀座2-2-2,,,,"))
    assert (result.created, result.updated) == (0, 1)
    assert Facility.objects.get().name == "架空保育園 本園"
    # without an ID column, the name and address identify a facility
    plain = "名称,住所\n架空公園,東京都中央区佃1-1-1\n".encode()
    facilities_import(actor=staff, data=plain)
    facilities_import(actor=staff, data=plain)
    assert Facility.objects.count() == 2


def test_a_bad_row_is_reported_with_its_line_number_and_the_rest_imports(staff):
    data = csv_bytes(
        "131024,A1,架空一保育園,,認可保育所,東京都中央区銀座1-1-1,35.6,139.7,,",
        "131024,A2,,,認可保育所,東京都中央区銀座1-1-2,,,,",
        "131024,A3,架空三保育園,,認可保育所,東京都中央区銀座1-1-3,北緯35度,139.7,,",
        "131024,A4,架空四保育園,,認可保育所,東京都中央区銀座1-1-4,,,javascript:alert(1),",
        "131024,A5,架空五保育園,,認可保育所,東京都中央区銀座1-1-5,,,,",
    )
    result = facilities_import(actor=staff, data=data)
    assert result.created == 3
    assert [line for line, _message in result.errors] == [3, 4]
    assert [line for line, _message in result.warnings] == [5]  # imported, without the javascript: link
    assert sorted(Facility.objects.values_list("name", flat=True)) == ["架空一保育園", "架空五保育園", "架空四保育園"]
    assert Facility.objects.get(name="架空四保育園").website == ""


def test_it_reads_shift_jis_files(staff):
    facilities_import(actor=staff, data=csv_bytes("131024,B1,架空図書館,,図書館,東京都中央区新川1-1-1,,,,", encoding="cp932"))
    assert Facility.objects.get().kind == "library"


def test_a_file_without_a_name_column_is_refused_and_nothing_imports(staff):
    with pytest.raises(ValidationError):
        facilities_import(actor=staff, data="ID,住所\n1,東京都中央区銀座\n".encode())
    with pytest.raises(ValidationError):
        facilities_import(actor=staff, data=b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    assert not Facility.objects.exists()


def test_the_import_page_reports_results(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("f.csv", csv_bytes("131024,C1,架空児童館,,児童館,東京都中央区勝どき1-1-1,,,,", "131024,C2,,,,,,,,"))
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(reverse("community_staff:facility_import"), {"file": upload})
    html = response.content.decode()
    assert "<dt>new</dt><dd>1</dd>" in html and "<dt>updated</dt><dd>0</dd>" in html and "<dt>skipped</dt><dd>1</dd>" in html
    assert "Line 3:" in html


def test_the_import_page_counts_new_updated_and_unchanged_facilities_in_words_that_are_not_dates(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("community_staff:facility_import")
    first = csv_bytes("131024,C1,架空児童館,,児童館,東京都中央区勝どき1-1-1,,,,", "131024,C2,架空図書館,,図書館,東京都中央区勝どき2-1-1,,,,")
    staff_client.post(url, {"file": SimpleUploadedFile("jidoukan.csv", first)})
    second = csv_bytes("131024,C1,架空児童館,,児童館,東京都中央区勝どき1-1-1,,,,", "131024,C2,架空図書館 分館,,図書館,東京都中央区勝どき2-1-1,,,,",
                       "131024,C3,架空公園,,公園,東京都中央区勝どき3-1-1,,,,")
    html = staff_client.post(url, {"file": SimpleUploadedFile("jidoukan.csv", second)}).content.decode()
    assert "<dt>新規</dt><dd>1</dd>" in html and "<dt>更新</dt><dd>1</dd>" in html and "<dt>変更なし</dt><dd>1</dd>" in html
    assert "作成日時" not in html and "更新日時" not in html
    assert AuditRecord.objects.filter(action=AuditRecord.Action.FACILITY_IMPORT).latest("id").after == {
        "dataset": "jidoukan", "created": 1, "updated": 1, "unchanged": 1, "errors": 0,
    }


def test_the_directory_searches_kana_readings_and_filters_by_kind_and_town(client, staff):
    facilities_import(actor=staff, data=csv_bytes(
        "131024,D1,架空銀座保育園,カクウギンザホイクエン,認可保育所,東京都中央区銀座1-1-1,,,,",
        "131024,D2,架空月島小学校,カクウツキシマショウガッコウ,小学校,東京都中央区月島1-1-1,,,,",
    ))
    url = reverse("community:facility_list")
    assert "架空銀座保育園" in client.get(url, {"q": "ぎんざ"}).content.decode()  # hiragana finds katakana reading
    html = client.get(url, {"q": "ｷﾞﾝｻﾞ"}).content.decode()  # half-width katakana too
    assert "架空銀座保育園" in html and "架空月島小学校" not in html
    html = client.get(url, {"kind": "elementary"}).content.decode()
    assert "架空月島小学校" in html and "架空銀座保育園" not in html
    town = Facility.objects.get(name="架空銀座保育園").town
    html = client.get(url, {"town": town.pk}).content.decode()
    assert "架空銀座保育園" in html and "架空月島小学校" not in html


def test_an_oversized_file_is_refused_with_a_clear_message(staff_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.COMMUNITY_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.csv", csv_bytes(*["131024,X,架空,,,東京都中央区銀座,,,,"] * 200))
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(reverse("community_staff:facility_import"), {"file": upload})
    assert "larger than" in response.content.decode()
    assert not Facility.objects.exists()


def test_files_with_their_own_id_numbering_do_not_overwrite_each_other(staff):
    parks = csv_bytes("131024,1,架空一公園,,公園,東京都中央区佃1-1-1,,,,", "131024,2,架空二公園,,公園,東京都中央区佃2-1-1,,,,")
    libraries = csv_bytes("131024,1,架空一図書館,,図書館,東京都中央区京橋2-1-1,,,,", "131024,2,架空二図書館,,図書館,東京都中央区築地1-1-1,,,,")
    facilities_import(actor=staff, data=parks, filename="kouen.csv")
    result = facilities_import(actor=staff, data=libraries, filename="toshokan.csv")
    assert (result.created, result.updated) == (2, 0)
    assert sorted(Facility.objects.values_list("name", flat=True)) == ["架空一公園", "架空一図書館", "架空二公園", "架空二図書館"]
    # a newer edition of the parks file (dated name) updates the parks
    renamed = csv_bytes("131024,1,架空一公園（改称）,,公園,東京都中央区佃1-1-1,,,,")
    result = facilities_import(actor=staff, data=renamed, filename="kouen_20250401.csv")
    assert (result.dataset, result.created, result.updated) == ("kouen", 0, 1)
    assert Facility.objects.filter(name="架空一公園(改称)").exists() and Facility.objects.count() == 4
    # staff can name the dataset themselves
    result = facilities_import(actor=staff, data=renamed, filename="download.csv", dataset="kouen")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)  # the same row again: nothing changed


def test_no_and_bango_columns_are_ids(staff):
    data = "NO,名称,住所\n1,架空一公園,東京都中央区佃1-1-1\n".encode()
    facilities_import(actor=staff, data=data, filename="parks.csv")
    moved = "No.,名称,住所\n1,架空一公園,東京都中央区佃1-2-3\n".encode()
    assert facilities_import(actor=staff, data=moved, filename="parks.csv").updated == 1
    numbered = "番号,名称,住所\n1,架空一公園,東京都中央区佃9-9-9\n".encode()
    assert facilities_import(actor=staff, data=numbered, filename="parks.csv").updated == 1
    assert Facility.objects.get().address == "東京都中央区佃9-9-9"


def test_without_ids_a_corrected_address_updates_the_facility_of_that_name_and_kind(staff):
    facilities_import(actor=staff, data="名称,種別,住所\n架空公園,公園,東京都中央区佃1-1-1\n架空図書館,図書館,東京都中央区佃1-1-1\n".encode())
    result = facilities_import(actor=staff, data="名称,種別,住所\n架空公園,公園,東京都中央区佃1-1-2\n".encode())
    assert (result.created, result.updated) == (0, 1)
    assert Facility.objects.get(name="架空公園").address == "東京都中央区佃1-1-2"
    # two facilities of one name in one file stay two
    twins = "名称,種別,住所\n児童遊園,公園,東京都中央区月島1-1-1\n児童遊園,公園,東京都中央区勝どき1-1-1\n".encode()
    assert facilities_import(actor=staff, data=twins).created == 2
    assert Facility.objects.filter(name="児童遊園").count() == 2


def test_after_school_care_is_neither_a_nursery_nor_a_school(staff):
    data = "名称,種別,住所\n架空学童保育所,学童保育所,東京都中央区佃1-1-1\n架空小学校内学童クラブ,,東京都中央区佃2-1-1\n架空小学校,小学校,東京都中央区佃3-1-1\n".encode()
    facilities_import(actor=staff, data=data)
    kinds = dict(Facility.objects.values_list("name", "kind"))
    assert kinds == {"架空学童保育所": "gakudo", "架空小学校内学童クラブ": "gakudo", "架空小学校": "elementary"}


def test_the_town_comes_from_the_address_not_the_building_name(staff):
    data = "名称,住所,方書\n架空書店,東京都中央区銀座二丁目1-1,京橋ビル1階\n架空人形町館,東京都中央区日本橋人形町1-1-1,\n".encode()
    facilities_import(actor=staff, data=data)
    towns = dict(Facility.objects.values_list("name", "town__name"))
    assert towns == {"架空書店": "銀座", "架空人形町館": "日本橋人形町"}
    assert Facility.objects.get(name="架空書店").address == "東京都中央区銀座二丁目1-1 京橋ビル1階"


def test_a_url_without_https_is_fixed_and_the_row_kept(staff):
    data = "名称,URL\n架空公園,www.city.example.jp/park\n".encode()
    result = facilities_import(actor=staff, data=data)
    assert (result.created, result.errors, len(result.warnings)) == (1, [], 1)
    assert Facility.objects.get().website == "https://www.city.example.jp/park"


def test_a_utf16_file_gets_a_clear_message(staff):
    with pytest.raises(ValidationError, match="UTF-16"):
        facilities_import(actor=staff, data="名称,住所\n架空公園,佃\n".encode("utf-16"))


def test_a_facility_imported_before_ids_were_scoped_is_updated_not_duplicated(staff):
    Facility.objects.create(name="架空保育園", kind="ninka_hoikuen", source_key="id:A1")
    result = facilities_import(actor=staff, data=csv_bytes("131024,A1,架空保育園,,認可保育所,東京都中央区銀座1-1-1,,,,"), filename="hoiku.csv")
    assert (result.created, result.updated) == (0, 1)
    assert Facility.objects.get().source_key == "id:131024|hoiku|A1"


def test_a_renumbered_edition_does_not_rename_facilities_or_move_their_threads(staff, alice):
    from community.models import Topic
    from community.services import thread_create

    first = "NO,名称,種別,住所\n1,架空A公園,公園,東京都中央区佃1-1-1\n2,架空B公園,公園,東京都中央区佃2-1-1\n".encode()
    facilities_import(actor=staff, data=first, filename="kouen.csv")
    park_b = Facility.objects.get(name="架空B公園")
    thread = thread_create(author=alice, topic=Topic.FACILITIES, title="B公園の遊具", body="新しくなりました", facility=park_b)
    # The next edition inserts a park at 2: B is now 3, and 2 names the new park.
    second = (
        "NO,名称,種別,住所\n1,架空A公園,公園,東京都中央区佃1-1-1\n2,架空新公園,公園,東京都中央区新川1-1-1\n"
        "3,架空B公園,公園,東京都中央区佃2-1-1\n"
    ).encode()
    result = facilities_import(actor=staff, data=second, filename="kouen_20260401.csv")
    park_b.refresh_from_db()
    thread.refresh_from_db()
    assert park_b.name == "架空B公園" and thread.facility_id == park_b.pk
    assert sorted(Facility.objects.values_list("name", flat=True)) == ["架空A公園", "架空B公園", "架空新公園"]
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)  # B renumbered, A as it was
    assert any("架空B公園" in warning for _line, warning in result.warnings)


@pytest.mark.parametrize("filename,dataset", [
    ("保育園一覧(令和7年4月1日).csv", "保育園一覧"),
    ("131024_public_facility_R070401.csv", "public_facility"),
    ("保育園一覧_令和7年4月1日時点.csv", "保育園一覧"),
    ("library-2025-04-01.csv", "library"),
])
def test_the_dataset_name_leaves_out_the_edition_date(filename, dataset):
    from community.facilities import dataset_name

    assert dataset_name(filename) == dataset
