import pytest
import time_machine
from django.db import transaction

from listings.models import Photo
from tests.authorization.world import build_world
from tests.conftest import TEST_CLOCK
from tests.factories import make_user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction rolled back at the end; every request of the
    matrix runs in its own savepoint on top of it (see matrix.request_as)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(TEST_CLOCK, tick=False):
            built = build_world(  # the personas of tests/conftest.py, whose fixtures live one test only
                alice=make_user(email="alice@example.com", name="ありす", postal_code="1040061"),
                bob=make_user(email="bob@example.com", name="ぼぶ", postal_code="1040052"),
                carol=make_user(email="carol@example.com", name="きゃろる", verified=False),
                staff=make_user(email="staff@example.com", name="環境推進課", is_staff=True),
            )
        yield built
        for photo in Photo.objects.all():  # the files outlive the rolled-back rows
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _isolated_media():
    """The world's photos are stored once per module, in the test settings' media folder, where
    the matrix's requests must find them (instead of tests/conftest.py's folder per test)."""
    yield
