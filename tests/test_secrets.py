"""Secrets: a rotated SECRET_KEY keeps everyone signed in (SECRET_KEY_FALLBACKS) and renames nobody
on the board (BOARD_PSEUDONYM_KEY); every secret can be read from NAME_FILE (docs/DEPLOY.md)."""

import base64
import importlib.util
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.crypto import salted_hmac

from community.models import Topic
from community.services import post_reply, thread_create
from config.env import env_secret_list, signing_keys

SECRET_VARIABLES = ["DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FALLBACKS", "BOARD_PSEUDONYM_KEY"]


@pytest.fixture
def keys(monkeypatch, settings, tmp_path):
    """Set the key variables as an operator would, and load them as config/settings.py does."""
    for name in SECRET_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)

    def load(**variables):
        for name in SECRET_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS, settings.BOARD_PSEUDONYM_KEY, _voter = signing_keys(tmp_path / "secret_key")

    return load


@pytest.mark.django_db
def test_a_resident_stays_signed_in_when_the_old_key_moves_to_the_fallbacks(client, alice, keys):
    old, new = "old-key-" + "a" * 50, "new-key-" + "b" * 50
    keys(DJANGO_SECRET_KEY=old)
    client.force_login(alice)
    unrotated = Client()
    unrotated.force_login(alice)
    assert client.get("/account/").status_code == 200

    keys(DJANGO_SECRET_KEY=new, DJANGO_SECRET_KEY_FALLBACKS=old)
    response = client.get("/account/")
    assert response.status_code == 200
    assert alice.display_name in response.content.decode()
    keys(DJANGO_SECRET_KEY=new)  # Django re-signed the session on that visit: the old key may go now
    assert client.get("/account/").status_code == 200
    # Without the fallback, a session the old key signed is signed out (what a rotation did before).
    assert unrotated.get("/account/").status_code == 302


@pytest.mark.django_db
def test_a_board_name_survives_the_rotation_and_is_derived_as_before(alice, keys):
    keys(DJANGO_SECRET_KEY="old-key")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="譲ります", body="本棚です")
    before = thread.posts.get(number=1).pseudonym
    # Exactly today's derivation: an HMAC under the (old) SECRET_KEY, so no existing name changes.
    digest = salted_hmac("mottainai.community.pseudonym", f"{thread.pk}:{alice.pk}", secret="old-key", algorithm="sha256").digest()
    assert before == base64.b32encode(digest[:5]).decode()

    keys(DJANGO_SECRET_KEY="new-key", DJANGO_SECRET_KEY_FALLBACKS="old-key")
    assert post_reply(thread=thread, author=alice, body="追記です").pseudonym == before
    # A second rotation keeps the oldest key last in the list: still the same name.
    keys(DJANGO_SECRET_KEY="newer-key", DJANGO_SECRET_KEY_FALLBACKS="new-key,old-key")
    assert post_reply(thread=thread, author=alice, body="もう一度").pseudonym == before


@pytest.mark.django_db
def test_board_names_follow_board_pseudonym_key_when_it_is_set(alice, keys):
    keys(DJANGO_SECRET_KEY="one-key", BOARD_PSEUDONYM_KEY="board-key")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="譲ります", body="本棚です")
    before = thread.posts.get(number=1).pseudonym

    keys(DJANGO_SECRET_KEY="another-key", BOARD_PSEUDONYM_KEY="board-key")  # no fallbacks at all
    assert post_reply(thread=thread, author=alice, body="追記です").pseudonym == before

    keys(DJANGO_SECRET_KEY="another-key", BOARD_PSEUDONYM_KEY="other-board-key")
    assert post_reply(thread=thread, author=alice, body="もう一度").pseudonym != before


def test_without_variables_development_keeps_its_generated_key(keys, tmp_path):
    keys()
    first = (django_settings.SECRET_KEY, django_settings.SECRET_KEY_FALLBACKS, django_settings.BOARD_PSEUDONYM_KEY)
    assert first[0] == (tmp_path / "secret_key").read_text() and len(first[0]) > 50
    assert first[1:] == ([], first[0])
    keys()
    assert (django_settings.SECRET_KEY, django_settings.BOARD_PSEUDONYM_KEY) == (first[0], first[0])


def test_key_lists_come_from_a_file_one_per_line_or_comma_separated(monkeypatch, tmp_path):
    secret = tmp_path / "fallbacks"
    secret.write_text("second-key\nfirst-key, \n")
    monkeypatch.setenv("X_KEYS_FILE", str(secret))
    monkeypatch.setenv("X_KEYS", "ignored")
    assert env_secret_list("X_KEYS") == ["second-key", "first-key"]


def test_the_settings_read_every_secret_from_files(tmp_path):
    """Settings are loaded once per process: load them in a fresh one, as a container does."""
    files = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/from-file.sqlite3",
        "DJANGO_SECRET_KEY": "current-key",
        "DJANGO_SECRET_KEY_FALLBACKS": "older-key\noldest-key",
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_SECRET", "BOARD_", "REDIS_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "MOTTAINAI_VAR_DIR": str(tmp_path), "DATABASE_URL": "sqlite:///ignored"})
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    code = (
        "import json; from django.conf import settings as s; print(json.dumps([str(s.DATABASES['default']['NAME']),"
        " s.SECRET_KEY, s.SECRET_KEY_FALLBACKS, s.BOARD_PSEUDONYM_KEY]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        f"{tmp_path}/from-file.sqlite3", "current-key", ["older-key", "oldest-key"], "oldest-key",
    ]


def test_the_backup_script_reads_the_database_url_from_a_file(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("backup_script", django_settings.BASE_DIR / "deploy" / "backup.py")
    backup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backup)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL_FILE", raising=False)
    with pytest.raises(SystemExit, match="DATABASE_URL"):
        backup._database()
    (tmp_path / "url").write_text("postgres://mottainai:p%40ss@db:5432/mottainai\n")
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "url"))
    url, env = backup._database()
    # the password travels as PGPASSWORD, never on pg_dump's command line (the process list)
    assert (url, env["PGPASSWORD"]) == ("postgresql://mottainai@db:5432/mottainai", "p@ss")


def test_check_deploy_asks_for_a_web_push_key_of_the_sites_own(monkeypatch, tmp_path):
    from notifications.checks import push_key_set

    monkeypatch.delenv("WEB_PUSH_VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("WEB_PUSH_VAPID_PRIVATE_KEY_FILE", raising=False)
    [warning] = push_key_set(None)
    assert warning.id == "notifications.W001" and "WEB_PUSH_VAPID_PRIVATE_KEY" in warning.msg
    monkeypatch.setenv("WEB_PUSH_VAPID_PRIVATE_KEY_FILE", str(tmp_path / "vapid.pem"))
    assert push_key_set(None) == []


def test_check_deploy_asks_for_a_pseudonym_key_of_its_own(monkeypatch, tmp_path):
    from community.checks import board_pseudonym_key_set

    monkeypatch.delenv("BOARD_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("BOARD_PSEUDONYM_KEY_FILE", raising=False)
    assert [warning.id for warning in board_pseudonym_key_set(None)] == ["community.W001"]
    monkeypatch.setenv("BOARD_PSEUDONYM_KEY_FILE", str(tmp_path / "board_key"))
    assert board_pseudonym_key_set(None) == []
