"""One answer per resident also when the same resident's submissions race (PostgreSQL in CI: the
unique keyed hash decides, and the later submission replaces the earlier one)."""

import threading

import pytest
from django.db import connection

from consultations import services
from consultations.models import Ballot, Consultation
from tests.consultations.conftest import make_consultation
from tests.db import only_on


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_first_answers_of_one_resident_make_one_ballot(alice, staff):
    only_on("postgresql")
    consultation = make_consultation(staff)
    scale = consultation.questions.get(kind="scale")
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def answer(value: int) -> None:
        try:
            barrier.wait()
            fresh = Consultation.objects.get(pk=consultation.pk)
            services.answer_submit(user=alice, consultation=fresh, answers={str(scale.pk): value}, comments={})
        except Exception as error:  # noqa: BLE001 (the test reports any failure)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(value,)) for value in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    [ballot] = Ballot.objects.filter(consultation=consultation)
    assert ballot.answers[str(scale.pk)] in (1, 2, 3, 4)
