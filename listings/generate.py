"""A realistic data set of any size for benchmarks (`manage.py generate_listings`).

Proportions follow what a ward exchange sees over a few years: most listings are long closed
(handed over, expired, withdrawn), about half are live; most items are offers and most are free.
Rows are bulk-inserted, bypassing the services on purpose: speed matters here and the rows are
built valid.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Town, User
from listings import search
from listings.demo import demo_photo
from listings.models import Category, Listing, Photo
from listings.photos import process_photo

STATUSES = [("published", 45), ("reserved", 5), ("handed_over", 30), ("expired", 10), ("withdrawn", 8), ("pending", 1), ("draft", 1)]
# What residents give away, per seeded category (listings/migrations/0002), and how often: furniture
# and children's things lead at a ward exchange. A title's noun comes from its category's words, so
# that a category filter combined with a keyword (家電 + 炊飯器) finds what it would on the real site.
VOCABULARY: dict[str, tuple[int, list[str]]] = {
    "furniture": (22, ["本棚", "椅子", "机", "ソファ", "テレビ台", "IKEA 棚", "食器棚", "ダイニングテーブル", "カラーボックス", "ベッド"]),
    "appliances": (15, ["炊飯器", "電子レンジ", "掃除機", "扇風機", "加湿器", "冷蔵庫", "洗濯機", "トースター", "電気ケトル"]),
    "baby-kids": (18, ["ベビーカー", "ランドセル", "子ども服", "チャイルドシート", "ベビーベッド", "抱っこ紐", "学習机", "おもちゃ"]),
    "clothing": (12, ["冬用コート", "ワンピース", "スーツ", "浴衣", "スニーカー", "ジャケット", "セーター"]),
    "kitchen": (12, ["食器", "鍋", "フライパン", "カーテン", "保存容器", "グラス", "布団"]),
    "books": (8, ["絵本", "文庫本", "図鑑", "参考書", "漫画", "料理本"]),
    "sports-leisure": (6, ["自転車", "ヨガマット", "テント", "ゴルフクラブ", "スーツケース", "テニスラケット"]),
    "hobbies-instruments": (4, ["ギター", "キーボード", "プラモデル", "ミシン", "画材", "ボードゲーム"]),
    "other": (3, ["植木鉢", "傘", "段ボール", "額縁", "収納ケース"]),
}
# Every word once: benchmarks draw saved-search keywords from here (bench/alert_matching.py).
WORDS = [word for _weight, words in VOCABULARY.values() for word in words]
ADJECTIVES = ["木製の", "白い", "小さめの", "大きめの", "ほぼ新品の", "使い込んだ", "折りたたみ式の", "子ども用の", ""]


def generate(*, count: int, owners: int = 2000, seed: int = 7, batch: int = 5000, photo_share: float = 0.7) -> int:
    """Insert `count` listings (and cover photos for `photo_share` of them); returns the count."""
    rng = random.Random(seed)
    categories = _weighted_categories(Category.objects.filter(is_active=True))
    towns = list(Town.objects.all())
    owners_list = _owners(owners, towns)
    photo_names = _photo_files(rng)
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    now = timezone.now()
    made = 0
    while made < count:
        size = min(batch, count - made)
        rows = []
        for _ in range(size):
            status = rng.choice(statuses)
            kind = "wanted" if rng.random() < 0.15 else "offer"
            created = now - timedelta(days=rng.uniform(0, 3 * 365))
            live = status in ("published", "reserved")
            published = now - timedelta(days=rng.uniform(0, 89)) if live else (created if status not in ("draft", "pending") else None)
            category, words = rng.choice(categories)
            title = f"{rng.choice(ADJECTIVES)}{rng.choice(words)}"
            description = f"{rng.choice(words)}と{rng.choice(words)}もあります。{rng.choice(towns).name}で受け渡しできます。"
            search_text, search_grams = search.document(title, description)
            rows.append(
                Listing(
                    owner=rng.choice(owners_list),
                    kind=kind,
                    title=title,
                    description=description,
                    search_text=search_text,
                    search_grams=search_grams,
                    category=category,
                    condition="any" if kind == "wanted" else rng.choice(["new", "like_new", "good", "fair"]),
                    price=0 if (kind == "wanted" or rng.random() < 0.6) else rng.choice([100, 300, 500, 1000, 2000, 5000]),
                    town=rng.choice(towns),
                    status=status,
                    published_at=published,
                    first_published_at=published,
                    expires_at=published + timedelta(days=settings.LISTING_EXPIRY_DAYS) if published else None,
                    photo_count=0,
                )
            )
        with transaction.atomic():
            created_rows = Listing.objects.bulk_create(rows)
            photos = [
                Photo(listing=row, image=display, thumbnail=thumb, width=1600, height=1200, thumbnail_bytes=20000)
                for row in created_rows
                if rng.random() < photo_share
                for display, thumb in [rng.choice(photo_names)]
            ]
            Photo.objects.bulk_create(photos)
            Listing.objects.filter(pk__in=[p.listing_id for p in photos]).update(photo_count=1)
        made += size
    return made


def _weighted_categories(active) -> list[tuple[Category, list[str]]]:
    """(category, its words), each category repeated by its weight; a category staff added gets
    the weight and words of "other"."""
    weighted = []
    for category in active:
        weight, words = VOCABULARY.get(category.slug, VOCABULARY["other"])
        weighted.extend([(category, words)] * weight)
    return weighted


def _owners(n: int, towns: list[Town]) -> list[User]:
    existing = list(User.objects.filter(email__startswith="gen-")[:n])
    missing = n - len(existing)
    if missing > 0:
        rng = random.Random(n)
        User.objects.bulk_create(
            [
                User(email=f"gen-{len(existing) + i}@example.com", display_name=f"住民{len(existing) + i}",
                     town=rng.choice(towns), password="!")
                for i in range(missing)
            ]
        )
        existing = list(User.objects.filter(email__startswith="gen-")[:n])
    return existing


def _photo_files(rng: random.Random) -> list[tuple[str, str]]:
    """A few real photo files through the real pipeline; generated listings share them."""
    names = []
    for _ in range(8):
        processed = process_photo(demo_photo(rng))
        photo = Photo(width=processed.width, height=processed.height)
        photo.image.save("p.jpg", ContentFile(processed.display), save=False)
        photo.thumbnail.save("t.jpg", ContentFile(processed.thumbnail), save=False)
        names.append((photo.image.name, photo.thumbnail.name))
    return names
