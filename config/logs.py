"""Logging: every line (Django's, ours, the task worker's) goes once to stdout, through the root
logger, as one JSON object (LOG_FORMAT=json) or as a readable line (LOG_FORMAT=console, the default
with DJANGO_DEBUG on).

Modules keep `logging.getLogger(__name__)`; structlog's ProcessorFormatter turns their records into
the same shape as `structlog.get_logger()` lines: `time` (ISO 8601, UTC), `level`, `logger`,
`event`, plus `request_id` (config/request_id.py) inside a request or a task and any key=value
fields. Never log personal data (emails, addresses, names, message text): ids only.
"""

import structlog

LOG_FORMATS = ("json", "console")

def _drop_objects(logger, method_name, event_dict: dict) -> dict:
    """Django passes the request (and the server's socket) along with its records: not for logs."""
    for key in ("request", "server_time"):
        if key in event_dict and not isinstance(event_dict[key], str):
            event_dict.pop(key)
    return event_dict


# Shared by structlog's own loggers and by records from the standard library (foreign_pre_chain).
PRE_CHAIN = [
    structlog.contextvars.merge_contextvars,  # request_id, task_id
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
    _drop_objects,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
]


def renderer(log_format: str):
    if log_format == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer(ensure_ascii=False)


def formatter(log_format: str) -> structlog.stdlib.ProcessorFormatter:
    """The formatter of the console handler (tests attach it to their own handler)."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=PRE_CHAIN,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer(log_format),
        ],
    )


def logging_config(level: str, log_format: str = "json") -> dict:
    """Configure structlog and return Django's LOGGING dict for the given root level ("INFO",
    "DEBUG", ...) and format ("json" or "console")."""
    if log_format not in LOG_FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, not {log_format!r}")
    structlog.configure(
        processors=[
            *PRE_CHAIN,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter, "log_format": log_format}},
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "structured"},
            # Django's email to ADMINS (DJANGO_ADMINS) for each server error; nothing when unset.
            "mail_admins": {
                "level": "ERROR", "filters": ["require_debug_false"], "class": "django.utils.log.AdminEmailHandler",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default logging gives the "django" logger its own console handler (in debug)
            # on top of ours at the root, which printed every django.* line twice (the worker's task
            # lines above all). Here it keeps only the email to ADMINS and goes up to the root.
            "django": {"handlers": ["mail_admins"], "level": level, "propagate": True},
            "django.db.backends": {"level": "INFO"},
        },
    }
