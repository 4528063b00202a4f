"""compose.yaml and the systemd units (deploy/systemd/) name only what exists: management commands
with options they accept, scripts in the repository, importable server entry points. No container
runtime runs on CI, so this reads the files; deploy/stack.py runs the same processes for real."""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = [name for name, service in SERVICES.items() if "build" in service]
LONG_RUNNING = [name for name in APP_SERVICES if name != "migrate"]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("mottainai-*"))
# Added by the observability branch (the worker's heartbeat, /livez and /readyz): until it is
# merged these may be missing; everything else must exist already.
FROM_THE_OBSERVABILITY_BRANCH = {"check_worker"}

MANAGE = re.compile(r"""(?:^|[\s/'"])python3?\s+manage\.py\s+([\w-]+)((?:\s+--?[\w-]+(?:=\S+)?)*)""")
SCRIPT = re.compile(r"""(?:^|[\s/'"])python3?\s+((?:deploy|bin)/[\w/.-]+\.py)""")
ENTRY_POINT = re.compile(r"\b(config\.\w+:\w+)\b")
PROBED_PATH = re.compile(r"http://127\.0\.0\.1(?::\d+)?(/\w+)")


def _text(command) -> str:
    """A command (exec form or string) as one shell-like line."""
    return command if isinstance(command, str) else shlex.join(command)


def _healthcheck_text(service: dict) -> str:
    test = service.get("healthcheck", {}).get("test", [])
    return _text(test[1:] if isinstance(test, list) else test)


def _compose_commands() -> dict[str, str]:
    """Every command compose runs: each service's command and health check."""
    found = {}
    for name, service in SERVICES.items():
        if "command" in service:
            found[f"{name}: command"] = _text(service["command"]).replace("$$", "$")
        if service.get("healthcheck", {}).get("test"):
            found[f"{name}: healthcheck"] = _healthcheck_text(service)
    return found


def _unit(path: Path) -> dict[str, list[str]]:
    """A systemd unit as {"Section.Key": [values]} (keys may repeat)."""
    values, section = {}, ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


def _unit_commands() -> dict[str, str]:
    return {
        f"{path.name}: {key}": value.replace("$$", "$").replace("%%", "%")
        for path in UNITS for key, lines in _unit(path).items() if key.startswith("Service.Exec") for value in lines
    }


ALL_COMMANDS = {**_compose_commands(), **_unit_commands()}


# --- compose.yaml ------------------------------------------------------------------------------


def test_every_app_service_runs_the_one_image():
    assert set(APP_SERVICES) == {"migrate", "web", "sockets", "worker", "scheduler", "backup"}
    assert len({(SERVICES[name]["build"], SERVICES[name]["image"]) for name in APP_SERVICES}) == 1


def test_migrate_runs_once_before_every_app_service_and_after_the_database_and_redis():
    assert SERVICES["migrate"]["restart"] == "no"
    assert "manage.py migrate --no-input" in _text(SERVICES["migrate"]["command"])
    assert SERVICES["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    for name in LONG_RUNNING:
        assert SERVICES[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name
        assert SERVICES[name]["restart"] == "unless-stopped", name


def test_every_service_has_a_health_check_but_the_one_shot_migrate():
    for name, service in SERVICES.items():
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True}
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert SERVICES["front"]["depends_on"] == {"web": {"condition": "service_healthy"}, "sockets": {"condition": "service_healthy"}}


def test_the_health_checks_ask_each_process_itself():
    checks = {name: _healthcheck_text(service) for name, service in SERVICES.items() if name != "migrate"}
    assert "127.0.0.1:8000/livez" in checks["web"]
    assert "127.0.0.1:8001/livez" in checks["sockets"]
    assert checks["worker"] == "python manage.py check_worker"
    assert checks["scheduler"] == "python manage.py run_schedule --check"
    assert checks["redis"] == "redis-cli ping"
    assert checks["db"].startswith("pg_isready")
    assert "http://127.0.0.1/livez" in checks["front"]
    assert "manifest.json" in checks["backup"]


def test_the_probed_paths_are_served():
    paths = {path for command in ALL_COMMANDS.values() for path in PROBED_PATH.findall(command)}
    assert paths == {"/livez"}
    missing = []
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            missing.append(path)
    if missing == ["/livez"]:
        pytest.skip("/livez comes with the observability branch")
    assert not missing


def test_the_scheduler_and_the_backup_run():
    assert _text(SERVICES["scheduler"]["command"]) == "python manage.py run_schedule"
    backup = _text(SERVICES["backup"]["command"])
    assert 'python deploy/backup.py backup "/backups/$$day.partial"' in backup
    assert SERVICES["backup"]["volumes"] == ["backups:/backups"] and "backups" in COMPOSE["volumes"]
    assert "cron" not in SERVICES


def test_no_secret_is_written_in_the_file():
    text = (ROOT / "compose.yaml").read_text()
    assert "${POSTGRES_PASSWORD}" in text
    for name in ("DJANGO_SECRET_KEY", "S3_SECRET_ACCESS_KEY", "EMAIL_HOST_PASSWORD", "BOARD_PSEUDONYM_KEY", "METRICS_TOKEN"):
        assert not re.search(rf"^\s*{name}\s*:", text, re.MULTILINE), name


def test_files_mounted_from_the_repository_exist():
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), source


# --- both: compose.yaml and deploy/systemd ------------------------------------------------------


def test_the_commands_are_all_found():
    assert len([where for where in ALL_COMMANDS if where.endswith(": command")]) == 7
    assert len([where for where in ALL_COMMANDS if where.endswith("ExecStart")]) == 5


@pytest.mark.parametrize("where", sorted(ALL_COMMANDS))
def test_every_management_command_exists_and_accepts_its_options(where, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as in production: db_worker checks
    commands = get_commands()
    named = MANAGE.findall(ALL_COMMANDS[where])
    for name, options in named:
        if name not in commands and name in FROM_THE_OBSERVABILITY_BRANCH:
            pytest.skip(f"{name} comes with the observability branch")
        assert name in commands, f"{where}: no management command {name}"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options.split())  # exits (SystemExit) on an option the command does not have


@pytest.mark.parametrize("where", sorted(ALL_COMMANDS))
def test_every_script_exists_and_every_entry_point_imports(where):
    command = ALL_COMMANDS[where]
    for script in SCRIPT.findall(command):
        assert (ROOT / script).is_file(), f"{where}: {script}"
    for entry_point in ENTRY_POINT.findall(command):
        module, _, name = entry_point.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), f"{where}: {entry_point}"


# --- deploy/systemd -----------------------------------------------------------------------------


def test_the_units_are_the_processes_of_compose():
    assert [path.name for path in UNITS] == [
        "mottainai-backup.service", "mottainai-backup.timer", "mottainai-scheduler.service",
        "mottainai-sockets.service", "mottainai-web.service", "mottainai-worker.service",
    ]
    unit_commands = {path.name: _unit(path).get("Service.ExecStart", [""])[0] for path in UNITS}
    assert unit_commands["mottainai-worker.service"] == "/opt/mottainai/.venv/bin/python manage.py run_worker"
    assert unit_commands["mottainai-scheduler.service"] == "/opt/mottainai/.venv/bin/python manage.py run_schedule"
    assert "deploy/backup.py backup" in unit_commands["mottainai-backup.service"]
    # The servers run with the options compose gives them (only the listening address differs).
    for unit, service in (("mottainai-web.service", "web"), ("mottainai-sockets.service", "sockets")):
        compose_options = [arg for arg in SERVICES[service]["command"] if arg not in ("0.0.0.0", "--forwarded-allow-ips", "*")]
        unit_options = [arg for arg in shlex.split(unit_commands[unit]) if arg != "127.0.0.1"]
        assert [Path(unit_options[0]).name, *unit_options[1:]] == compose_options
    assert "--ws websockets-sansio" in unit_commands["mottainai-sockets.service"]
    # uvicorn's access log names each visitor's address: personal data, so off (the stack too).
    assert "--no-access-log" in unit_commands["mottainai-sockets.service"]
    assert "--no-access-log" in SERVICES["sockets"]["command"]
    assert _unit(ROOT / "deploy/systemd/mottainai-backup.timer")["Timer.Persistent"] == ["true"]


@pytest.mark.parametrize("path", [path for path in UNITS if path.suffix == ".service"], ids=lambda path: path.name)
def test_every_service_runs_as_the_app_user_from_the_install_with_hardening(path):
    unit = _unit(path)
    assert unit["Service.User"] == ["mottainai"]
    assert unit["Service.WorkingDirectory"] == ["/opt/mottainai"]
    assert unit["Service.EnvironmentFile"] == ["/etc/mottainai/mottainai.env"]
    for key in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert unit[f"Service.{key}"] == ["true"], key
    assert unit["Service.ProtectSystem"] == ["strict"] and unit["Service.ReadWritePaths"]
    executable = shlex.split(unit["Service.ExecStart"][0])[0]
    assert executable.startswith("/opt/mottainai/.venv/bin/") or executable == "/bin/sh"
    if path.name != "mottainai-backup.service":  # a oneshot, started by its timer
        assert unit["Service.Restart"] == ["always"] and unit["Install.WantedBy"] == ["multi-user.target"]
