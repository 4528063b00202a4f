"""Facility directory: import from the municipal standard open-data CSV layout, and search.

自治体標準オープンデータセット files name their columns in Japanese (名称, 名称_カナ, 種別, 住所,
緯度, 経度, URL...). Columns are matched by header name, unknown ones are ignored, and files in
UTF-8 (with or without BOM) or Shift_JIS (cp932, as many municipal portals publish) are read.
"""

import csv
import io
import unicodedata
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
from listings.search import normalise, terms
from moderation.audit import audit_record
from moderation.models import AuditRecord

# Header names (after NFKC and removing spaces) for each field, in order of preference.
COLUMNS = {
    "source_id": ["ID", "施設ID"],
    "name": ["名称", "施設名", "施設名称"],
    "name_kana": ["名称_カナ", "名称カナ", "施設名_カナ", "施設名カナ", "フリガナ", "ふりがな"],
    "kind": ["種別", "施設種別", "種類", "施設分類", "分類"],
    "address": ["住所", "所在地_連結表記", "所在地"],
    "address_extra": ["方書"],
    "latitude": ["緯度"],
    "longitude": ["経度"],
    "website": ["URL", "ホームページ", "ウェブサイト", "ホームページURL"],
}
# Kind keywords, most specific first; looked up in 種別, then in the name.
KIND_KEYWORDS = [
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
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def _header(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").lstrip("\ufeff").split())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Shift_JIS text. Save it as CSV (UTF-8) and try again."))


def kind_for(kind_text: str, name: str) -> str:
    """The directory kind for a dataset's 種別 text, or guessed from the name."""
    for text in (unicodedata.normalize("NFKC", kind_text or ""), unicodedata.normalize("NFKC", name or "")):
        for keyword, kind in KIND_KEYWORDS:
            if keyword in text:
                return kind
    return FacilityKind.OTHER


def town_for_address(address: str, towns: list[Town]) -> Town | None:
    """The longest town name in the address (日本橋人形町 before 日本橋), or None."""
    address = unicodedata.normalize("NFKC", address or "")
    best = None
    for town in towns:
        if town.name and town.name in address and (best is None or len(town.name) > len(best.name)):
            best = town
    return best


def _coordinate(value: str, label: str, limit: int) -> Decimal | None:
    value = unicodedata.normalize("NFKC", value or "").strip()
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


def _facility_fields(values: dict[str, str], towns: list[Town]) -> dict:
    name = unicodedata.normalize("NFKC", values.get("name", "")).strip()
    if not name:
        raise ValidationError(_("The name (名称) is empty."))
    if len(name) > 120:
        raise ValidationError(_("The name is longer than 120 characters."))
    address = " ".join(part for part in (values.get("address", ""), values.get("address_extra", "")) if part)
    address = unicodedata.normalize("NFKC", address).strip()[:200]
    website = values.get("website", "").strip()
    if website:
        try:
            _URL(website)
        except ValidationError:
            raise ValidationError(_("The URL “%(url)s” is not a web address.") % {"url": website[:60]}) from None
    kana = unicodedata.normalize("NFKC", values.get("name_kana", "")).strip()[:200]
    return {
        "name": name,
        "name_kana": kana,
        "kind": kind_for(values.get("kind", ""), name),
        "address": address,
        "town": town_for_address(address, towns),
        "website": website[:300],
        "latitude": _coordinate(values.get("latitude", ""), _("Latitude (緯度)"), 90),
        "longitude": _coordinate(values.get("longitude", ""), _("Longitude (経度)"), 180),
        "search_text": normalise(" ".join([name, kana, address])),
    }


def facilities_import(*, actor: User, data: bytes, filename: str = "") -> ImportResult:
    """Create or update facilities from a CSV file; a bad row is reported by line and skipped.

    A row matches an existing facility by its ID column, or else by its name and address, so
    importing the same file twice updates instead of duplicating.
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
    positions = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                positions[key] = names.index(alias)
                break
    if "name" not in positions:
        raise ValidationError(_("The first line must name the columns, including 名称 (the facility name)."))
    towns = list(Town.objects.all())
    result = ImportResult()
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
                fields = _facility_fields(values, towns)
            except ValidationError as exc:
                result.errors.append((reader.line_num, " ".join(exc.messages)))
                continue
            source_id = values.get("source_id", "")
            key = f"id:{source_id}" if source_id else f"name:{normalise(fields['name'])}|{normalise(fields['address'])}"
            _facility, created = Facility.objects.update_or_create(source_key=key[:250], defaults=fields)
            if created:
                result.created += 1
            else:
                result.updated += 1
        audit_record(
            actor=actor,
            action=AuditRecord.Action.FACILITY_IMPORT,
            reason=filename[:200],
            after={"created": result.created, "updated": result.updated, "errors": len(result.errors)},
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
