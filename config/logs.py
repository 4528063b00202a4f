"""The LOGGING setting: every line goes once to the console, through the root logger."""


def logging_config(level: str) -> dict:
    """Return Django's LOGGING dict for the given root level ("INFO", "DEBUG", ...)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default logging gives the "django" logger its own console handler (in debug)
            # on top of ours at the root, which printed every django.* line twice (the worker's task
            # lines above all). Listing it here with no handlers leaves one path: up to the root.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "INFO"},
        },
    }
