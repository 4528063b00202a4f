"""The request id: one per request, in every log line of that request and of the tasks it queues.

A sane incoming `X-Request-ID` (from the ward's proxy or load balancer) is kept, otherwise a new
one is made; either way it is returned as `X-Request-ID` on the response. A task queued during a
request stores it next to its `args` and `kwargs` (so neither the task function nor the worker's
own code sees it), and the worker binds it again while the task runs (`db_worker` and
`run_worker` alike: both claim the task through DBTaskResult.claim).
"""

import re
import uuid

import structlog
from django.core.signals import request_finished
from django.dispatch import receiver
from django.db.models.signals import pre_save
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

HEADER = "X-Request-ID"
VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(value: str | None) -> str:
    """The incoming id when it is 1-64 characters of A-Z a-z 0-9 . _ -, a new uuid4 hex otherwise."""
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every answer carries the header: /healthz, redirects, errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        # Bound until the request ends (request_finished below): Django logs "Not Found: ..." and
        # server errors after the last middleware has answered.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="config.request_id.request_finished")
def unbind_request(sender, **kwargs) -> None:
    structlog.contextvars.clear_contextvars()


@receiver(pre_save, sender=DBTaskResult, dispatch_uid="config.request_id.task_saved")
def carry_request_id(sender, instance: DBTaskResult, update_fields=None, **kwargs) -> None:
    """Queued in a request: the task keeps the request id next to its `args` and `kwargs`.
    Claimed by a worker (`DBTaskResult.claim`, just before it runs): the worker's log lines carry
    the task's id and that request id until the task ends, Django's "Task ... started" line too."""
    args_kwargs = instance.args_kwargs if isinstance(instance.args_kwargs, dict) else {}
    if instance._state.adding:
        request_id = current_request_id()
        if request_id:
            args_kwargs["request_id"] = request_id
    elif update_fields and "worker_ids" in update_fields and instance.status == TaskResultStatus.RUNNING:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(task_id=str(instance.pk))
        request_id = args_kwargs.get("request_id")
        if isinstance(request_id, str) and VALID.fullmatch(request_id):
            structlog.contextvars.bind_contextvars(request_id=request_id)


@receiver(task_finished, dispatch_uid="config.request_id.task_finished")
def unbind_task(sender, task_result, **kwargs) -> None:
    """After Django's own "Task ... state=..." line, which still carries the ids."""
    if getattr(task_result, "db_result", None) is not None:
        structlog.contextvars.clear_contextvars()
