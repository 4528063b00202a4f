"""Category names are unique in the database, compared as staff compare them (width, case, spaces)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from listings.models import Category
from moderation import services


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name_ja, name_en",
    [("家具", "Other"), ("ｶｸﾞ類", "Kagu"), ("その他の家具", "FURNITURE"), ("その他の家具", " Furni ture ")],
)
def test_a_duplicate_name_through_the_model_is_refused_by_the_database(name_ja, name_en):
    furniture = Category.objects.get(slug="furniture")
    Category.objects.create(slug="kagu", name_ja="カグ類", name_en="Kagu things", position=97)
    assert (furniture.name_ja, furniture.name_en) == ("家具", "Furniture")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(slug="dup", name_ja=name_ja, name_en=name_en, position=98)


@pytest.mark.django_db
def test_a_name_saved_meanwhile_by_someone_else_gives_the_staff_form_an_error_not_a_500(staff_client, monkeypatch):
    """The service checks first; if another staff member saved the name between its check and the
    save, the database refuses it and the form says why."""
    real_check = services._check_category_names_unique
    calls = []

    def check_too_early(category):
        calls.append(category)
        if len(calls) > 1:
            real_check(category)  # after the refusal: the name is taken now

    monkeypatch.setattr(services, "_check_category_names_unique", check_too_early)
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(
        reverse("moderation:categories"),
        {"name_ja": "家具", "name_en": "More furniture", "slug": "furniture2", "position": 96, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "There is already a category named “家具”." in response.content.decode()
    assert not Category.objects.filter(slug="furniture2").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_renames_names_that_already_read_the_same():
    executor = MigrationExecutor(connection)
    executor.migrate([("listings", "0018_listing_expiry_reminded_at")])
    old = executor.loader.project_state([("listings", "0018_listing_expiry_reminded_at")]).apps
    OldCategory = old.get_model("listings", "Category")
    OldCategory.objects.create(slug="kagu", name_ja="ｶｸﾞ", name_en="FURNITURE", position=97)
    OldCategory.objects.create(slug="kagu2", name_ja="カグ", name_en="Kagu", position=98)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    names = dict(Category.objects.filter(slug__in=["furniture", "kagu", "kagu2"]).values_list("slug", "name_en"))
    assert names == {"furniture": "Furniture", "kagu": "FURNITURE (2)", "kagu2": "Kagu"}
    assert Category.objects.get(slug="kagu2").name_ja == "カグ (2)"  # the later one gets the suffix
    assert Category.objects.get(slug="kagu").name_ja == "ｶｸﾞ"
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(slug="again", name_ja="かぐ類ではない", name_en="furniture (2)", position=99)
