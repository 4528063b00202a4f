import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_secret


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG") is expected


@pytest.mark.parametrize("name,reader,raw", [
    ("X_FLAG", lambda: env_bool("X_FLAG"), "maybe"),
    ("X_NUMBER", lambda: env_int("X_NUMBER", 1), "lots"),
    ("X_NUMBER", lambda: env_int("X_NUMBER", 1, minimum=0), "-5"),
])
def test_nonsense_stops_start_up_naming_the_variable(monkeypatch, name, reader, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_lists_and_secret_files(monkeypatch, tmp_path):
    monkeypatch.setenv("X_HOSTS", " a.example.jp, ,b.example.jp ")
    assert env_list("X_HOSTS", []) == ["a.example.jp", "b.example.jp"]
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    monkeypatch.setenv("X_KEY_FILE", str(secret))
    assert env_secret("X_KEY") == "s3cr3t"
    monkeypatch.setenv("X_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_KEY_FILE"):
        env_secret("X_KEY")


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
