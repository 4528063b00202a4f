"""A resident's data as a ZIP: data.json (the JSON download, unchanged), CSV files a spreadsheet
opens safely (core.spreadsheet) and their own listing photos, built in a spooled temporary file."""

import io
import json
import tempfile
import zipfile

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import User
from accounts.signals import account_files_requested, account_reports_requested
from core.spreadsheet import SpreadsheetWriter

SPOOL_MAX = 8 * 1024 * 1024  # kept in memory up to this size, then on disk
PHOTOS_MAX_BYTES = 200 * 1024 * 1024  # photos past this total are listed in data.json but not packed

CSV_HEADERS = {
    "listings.csv": ["id", "kind", "title", "status", "category", "price", "town", "created_at", "published_at", "expires_at", "url"],
    "messages.csv": ["conversation", "listing", "with", "from_me", "kind", "body", "sent_at"],
    "saved_searches.csv": ["id", "keywords", "kind", "category", "town", "free_only", "alerts", "active", "created_at"],
    "board_posts.csv": ["thread", "number", "pseudonym", "text", "status", "created_at"],
}


def listing_url(pk: int) -> str:
    """A listing's address outside the site (the ZIP is read offline): SITE_URL, never the request's host."""
    return settings.SITE_URL.rstrip("/") + reverse("listings:detail", args=[pk])


def csv_rows(data: dict) -> dict[str, list[list]]:
    """The CSV files' rows, from the export dict (so the CSVs and data.json always agree)."""
    messaging = data.get("messaging") or {}
    rows = {
        "listings.csv": [[*(item.get(key) for key in CSV_HEADERS["listings.csv"][:-1]), listing_url(item["id"])]
                         for item in data.get("listings", [])],
        "messages.csv": [
            [conversation["id"], conversation["listing"], conversation["with"], message["from_me"], message["kind"],
             message["body"], message["sent_at"]]
            for conversation in messaging.get("conversations", [])
            for message in conversation["messages"]
        ],
        "saved_searches.csv": [[item.get(key) for key in CSV_HEADERS["saved_searches.csv"]] for item in data.get("saved_searches", [])],
        "board_posts.csv": [[item.get(key) for key in CSV_HEADERS["board_posts.csv"]] for item in data.get("board_posts", [])],
    }
    return rows


def _csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = SpreadsheetWriter(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return "\ufeff" + buffer.getvalue()  # the BOM lets Excel read UTF-8 Japanese


def photo_files(user: User) -> list[tuple[str, str]]:
    return [pair for _receiver, response in account_files_requested.send(sender=User, user=user) for pair in response or []]


def reports_made(user: User) -> list[dict]:
    return [row for _receiver, response in account_reports_requested.send(sender=User, user=user) for row in response or []]


def export_zip(*, user: User, data: dict) -> tempfile.SpooledTemporaryFile:
    """The ZIP, rewound, in a temporary file that spills to disk past SPOOL_MAX."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, rows in csv_rows(data).items():
            archive.writestr(name, _csv_text(CSV_HEADERS[name], rows))
        packed = 0
        for arcname, storage_name in photo_files(user):
            try:
                size = default_storage.size(storage_name)
                if packed + size > PHOTOS_MAX_BYTES:
                    break
                with default_storage.open(storage_name, "rb") as source, archive.open(arcname, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
                packed += size
            except FileNotFoundError:
                continue  # a photo whose file is gone is still listed in data.json
    spool.seek(0)
    return spool
