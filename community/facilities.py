"""Facility directory: import from the municipal standard open-data CSV layout, and search.

自治体標準オープンデータセット files name their columns in Japanese (名称, 名称_カナ, 種別, 住所,
緯度, 経度, URL...). Columns are matched by header name, unknown ones are ignored, and files in
UTF-8 (with or without BOM) or Shift_JIS (cp932, as many municipal portals publish) are read.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Town, User
from community.models import Facility, FacilityKind
from core.audit import audit_record
from core.models import AuditRecord
from core.text import text_fold, text_normalise
from listings.search import terms

# Header names (after NFKC, removing spaces, case-insensitive) for each field, in order of preference.
COLUMNS = {
    "source_id": ["ID", "施設ID", "NO", "No.", "NO.", "番号", "施設番号", "通し番号"],
    "municipality": ["全国地方公共団体コード", "地方公共団体コード", "都道府県コード又は市区町村コード", "市区町村コード"],
    "name": ["名称", "施設名", "施設名称"],
    "name_kana": ["名称_カナ", "名称カナ", "施設名_カナ", "施設名カナ", "フリガナ", "ふりがな"],
    "kind": ["種別", "施設種別", "種類", "施設分類", "分類"],
    "address": ["住所", "所在地_連結表記", "所在地"],
    "address_extra": ["方書"],
    "latitude": ["緯度"],
    "longitude": ["経度"],
    "website": ["URL", "ホームページ", "ウェブサイト", "ホームページURL"],
}
# ID columns that are often just row numbers, renumbered in each edition of a file.
ROW_NUMBER_COLUMNS = frozenset({"NO", "No.", "NO.", "番号", "通し番号"})
# Kind keywords, most specific first; looked up in 種別, then in the name. After-school care
# (学童クラブ, 学童保育所, 放課後…) comes before 保育所 and 小学校: it is neither a nursery nor a
# school, though its name often is a school's (…小学校内学童クラブ).
KIND_KEYWORDS = [
    ("学童", FacilityKind.AFTER_SCHOOL),
    ("放課後", FacilityKind.AFTER_SCHOOL),
    ("認定こども園", FacilityKind.KODOMOEN),
    ("こども園", FacilityKind.KODOMOEN),
    ("認証保育", FacilityKind.NINSHO_HOIKUSHO),
    ("認可保育", FacilityKind.NINKA_HOIKUEN),
    ("保育園", FacilityKind.NINKA_HOIKUEN),
    ("保育所", FacilityKind.NINKA_HOIKUEN),
    ("幼稚園", FacilityKind.KINDERGARTEN),
    ("義務教育学校", FacilityKind.ELEMENTARY),
    ("小学校", FacilityKind.ELEMENTARY),
    ("中学校", FacilityKind.JUNIOR_HIGH),
    ("児童館", FacilityKind.JIDOKAN),
    ("図書館", FacilityKind.LIBRARY),
    ("公園", FacilityKind.PARK),
]
_URL = URLValidator(schemes=["http", "https"])


@dataclass
class ImportResult:
    dataset: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched a facility that already read the same
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message): row skipped
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line number, message): row imported


def _header(name: str) -> str:
    return "".join(text_normalise(name, case=True).lstrip("\ufeff").split())


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" is UTF-16 (and tab-separated); it would otherwise read as noise.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:1000]:
        raise ValidationError(
            _("The file is UTF-16 text (Excel's “Unicode text”). Save it as “CSV UTF-8 (comma delimited)” and try again.")
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Shift_JIS text. Save it as CSV (UTF-8) and try again."))


def kind_for(kind_text: str, name: str) -> str:
    """The directory kind for a dataset's 種別 text, or guessed from the name."""
    for text in (text_normalise(kind_text), text_normalise(name)):
        for keyword, kind in KIND_KEYWORDS:
            if keyword in text:
                return kind
    return FacilityKind.OTHER


def town_for_address(address: str, towns: list[Town]) -> Town | None:
    """The town name that comes first in the address, the longest of those starting there
    (日本橋人形町 before 日本橋), or None. Pass the address proper, without 方書: a building
    name (京橋ビル) must not decide the town."""
    address = text_normalise(address)
    best, best_at = None, len(address)
    for town in towns:
        at = address.find(town.name) if town.name else -1
        if at < 0:
            continue
        if at < best_at or (at == best_at and len(town.name) > len(best.name)):
            best, best_at = town, at
    return best


def _coordinate(value: str, label: str, limit: int) -> Decimal | None:
    value = text_normalise(value).strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(_("%(label)s “%(value)s” is not a number.") % {"label": label, "value": value[:30]}) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError(_("%(label)s “%(value)s” is out of range.") % {"label": label, "value": value[:30]})
    return number.quantize(Decimal("0.000001"))


def _row_values(row: list[str], positions: dict[str, int]) -> dict[str, str]:
    return {key: (row[index].strip() if index < len(row) else "") for key, index in positions.items()}


def _website(value: str) -> tuple[str, str]:
    """The row's web address and a warning: one without a scheme (www.example.jp) gets https://,
    one that is still not a web address is left out. Neither costs the row."""
    value = text_normalise(value).strip()
    if not value:
        return "", ""
    try:
        _URL(value)
        return value, ""
    except ValidationError:
        pass
    if "://" not in value and ":" not in value.split("/", 1)[0]:
        try:
            _URL("https://" + value)
            return "https://" + value, _("The URL “%(url)s” had no https://; it was added.") % {"url": value[:60]}
        except ValidationError:
            pass
    return "", _("The URL “%(url)s” is not a web address; the facility was imported without it.") % {"url": value[:60]}


def _facility_fields(values: dict[str, str], towns: list[Town]) -> tuple[dict, str]:
    """The facility's fields from one row, and a warning (or ""); raises for a row to skip."""
    name = text_normalise(values.get("name", "")).strip()
    if not name:
        raise ValidationError(_("The name (名称) is empty."))
    if len(name) > 120:
        raise ValidationError(_("The name is longer than 120 characters."))
    address_proper = text_normalise(values.get("address", "")).strip()
    address = " ".join(part for part in (values.get("address", ""), values.get("address_extra", "")) if part)
    address = text_normalise(address).strip()[:200]
    website, warning = _website(values.get("website", ""))
    kana = text_normalise(values.get("name_kana", "")).strip()[:200]
    return {
        "name": name,
        "name_kana": kana,
        "kind": kind_for(values.get("kind", ""), name),
        "address": address,
        "town": town_for_address(address_proper, towns),
        "website": website[:300],
        "latitude": _coordinate(values.get("latitude", ""), _("Latitude (緯度)"), 90),
        "longitude": _coordinate(values.get("longitude", ""), _("Longitude (経度)"), 180),
        "search_text": text_fold(" ".join([name, kana, address])),
    }, warning


# A publication date or version at the end of a file name, Western or Japanese era (令和/平成, R/H).
_EDITION = r"(?:令和|平成|R|H|v|ver)?\d+(?:年度?|[._\-])?(?:\d+(?:月|[._\-])?)?(?:\d+日?)?(?:時点|現在|版)?"


def dataset_name(filename: str) -> str:
    """The dataset a file belongs to, from its name when staff do not give one: the name without
    its extension and the dates or version numbers that change from one publication to the next
    (kouen_20250401.csv and kouen.csv are one dataset)."""
    stem = text_normalise((filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).rsplit(".", 1)[0]
    stem = re.sub(r"\([^)]*\d[^)]*\)", "", stem)  # (令和7年4月1日), (2025.4.1)
    stem = re.sub(r"^[\d_\-\s.]+", "", stem)  # a leading municipality code: 131024_...
    stem = re.sub(rf"(?:[_\-\s.]*{_EDITION})+$", "", stem)  # _20250401, _R070401, 令和7年4月1日時点
    return stem.strip(" _-.")[:60]


def _id_key(municipality: str, dataset: str, source_id: str) -> str:
    # IDs are unique within one dataset of one municipality (自治体標準オープンデータセット), so the
    # key carries both: a parks file and a libraries file may both number their rows 1, 2, 3.
    return f"id:{municipality}|{text_fold(dataset)}|{source_id}"[:250]


def _name_key(name: str, address: str) -> str:
    return f"name:{text_fold(name)}|{text_fold(address)}"[:250]


def _match(
    fields: dict, values: dict, dataset: str, touched: set[int], *, row_numbers: bool
) -> tuple[Facility | None, str, str]:
    """The facility a row updates (or None to create one), the row's key and a warning.

    With an ID column: the municipality code, the dataset and the ID, as long as the name is
    still the row's; else the facility of that name and kind in the dataset (or imported before
    IDs were scoped, key `id:<ID>`). Without
    one: the name and address; else, when the address changed, the one facility of that name
    and kind imported without an ID and not yet matched by this file.
    """
    source_id = text_normalise(values.get("source_id", "")).strip()
    if source_id:
        key = _id_key(text_normalise(values.get("municipality", "")).strip(), dataset, source_id)
        facility = Facility.objects.filter(source_key=key).first()
        warning = ""
        if facility is not None and row_numbers and text_fold(facility.name) != text_fold(fields["name"]):
            # Row numbers (NO, 番号) shift between editions: a number that now names another
            # facility must not rename this one and move its threads. It gives up the key and may
            # be matched by its own name further down the file. (An ID column proper is stable:
            # a new name under the same ID is a renamed facility.)
            Facility.objects.filter(pk=facility.pk).update(source_key=f"renumbered:{facility.pk}")
            warning = _("ID %(id)s belonged to “%(old)s” and now names “%(new)s”: matched by name instead.") % {
                "id": source_id, "old": facility.name, "new": fields["name"],
            }
            facility = None
        if facility is None:
            wanted = text_fold(fields["name"])
            candidates = Facility.objects.filter(Q(dataset=dataset) | Q(source_key=f"id:{source_id}"[:250])).exclude(pk__in=touched)
            facility = next((f for f in candidates.filter(kind=fields["kind"]) if text_fold(f.name) == wanted), None)
        return facility, key, warning
    key = _name_key(fields["name"], fields["address"])
    facility = Facility.objects.filter(source_key=key).first()
    if facility is None:
        same_name = list(
            Facility.objects.filter(source_key__startswith=_name_key(fields["name"], "")[:250], kind=fields["kind"])
            .exclude(pk__in=touched)[:2]
        )
        if len(same_name) == 1:
            facility = same_name[0]
    return facility, key, ""


def _changed(facility: Facility, values: dict) -> bool:
    """Set the row's values on the facility; whether any of them differs from what it held."""
    changed = False
    for name, value in values.items():
        attname = Facility._meta.get_field(name).attname  # town_id: compared without loading the town
        new = value.pk if attname != name and value is not None else value
        changed = changed or getattr(facility, attname) != new
        setattr(facility, name, value)
    return changed


def facilities_import(*, actor: User, data: bytes, filename: str = "", dataset: str = "") -> ImportResult:
    """Create or update facilities from a CSV file; a bad row is reported by line and skipped.

    A row matches an existing facility by its ID column within the dataset (`dataset`, or the
    file's name), or else by its name and address (or its name and kind, when only the address
    changed), so importing a newer edition of a file updates instead of duplicating.
    """
    if len(data) > settings.COMMUNITY_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.COMMUNITY_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationError(_("The file is empty.")) from None
    names = [_header(column) for column in header]
    positions, row_numbers = {}, False
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if _header(alias) in names:
                positions[key] = names.index(_header(alias))
                row_numbers = row_numbers or alias in ROW_NUMBER_COLUMNS
                break
    if "name" not in positions:
        raise ValidationError(_("The first line must name the columns, including 名称 (the facility name)."))
    dataset = text_normalise(dataset).strip()[:60] or dataset_name(filename)
    towns = list(Town.objects.all())
    result = ImportResult(dataset=dataset)
    touched: set[int] = set()
    with transaction.atomic():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                result.errors.append((reader.line_num, _("The line is not valid CSV (%(error)s).") % {"error": exc}))
                continue
            if not any(cell.strip() for cell in row):
                continue
            values = _row_values(row, positions)
            try:
                fields, warning = _facility_fields(values, towns)
            except ValidationError as exc:
                result.errors.append((reader.line_num, " ".join(exc.messages)))
                continue
            if warning:
                result.warnings.append((reader.line_num, warning))
            facility, key, renumbered = _match(fields, values, dataset, touched, row_numbers=row_numbers)
            if renumbered:
                result.warnings.append((reader.line_num, renumbered))
            if facility is None:
                facility = Facility.objects.create(source_key=key, dataset=dataset, **fields)
                result.created += 1
            elif _changed(facility, {"source_key": key, "dataset": dataset, **fields}):
                facility.save()
                result.updated += 1
            else:
                result.unchanged += 1
            touched.add(facility.pk)
        audit_record(
            actor=actor,
            action=AuditRecord.Action.FACILITY_IMPORT,
            reason=filename[:200],
            after={"dataset": dataset, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                   "errors": len(result.errors)},
        )
    return result


def facilities_search(qs: QuerySet, query: str) -> QuerySet:
    """Facilities whose name, reading or address contains every term (normalised like listings:
    full/half width, case, katakana and hiragana all match). The directory is small (hundreds of
    rows), so a substring scan is fast without an n-gram index."""
    condition = Q()
    for term in terms(query):
        condition &= Q(search_text__contains=term)
    return qs.filter(condition)
