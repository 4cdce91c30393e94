"""The one letter pipeline: every letter task is a `@letter_task`, takes ids rather than
addresses, and leaves retries to the decorator."""

import importlib
import inspect

import pytest
from django.apps import apps

from lkk.letters import AddressInTaskArguments, LetterTask, letter_task
from tests.accounts.conftest import database_tasks  # noqa: F401 (a fixture)


def letter_tasks() -> list[LetterTask]:
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, LetterTask)]
    return found


def test_every_task_that_sends_letters_goes_through_the_pipeline():
    names = {task.name for task in letter_tasks()}

    assert {
        "verification_letter_send",
        "feedback_answer_letter_send",
        "incident_notices_send",
        "mailing_batch_send",
        "subject_request_letter_send",
        "due_requests_letter_send",
        "link_dispute_letter_send",
    } <= names


@pytest.mark.parametrize("task", letter_tasks(), ids=lambda task: task.name)
def test_a_letter_task_takes_only_keyword_arguments_and_no_retry_bookkeeping(task):
    # The function the decorator wraps: what the author wrote.
    wrapped = task.func.__closure__
    assert wrapped is not None
    [function] = [cell.cell_contents for cell in wrapped if inspect.isfunction(cell.cell_contents)]
    parameters = inspect.signature(function).parameters.values()

    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY for parameter in parameters)
    assert not {"attempt", "context"} & {parameter.name for parameter in parameters}


@pytest.mark.django_db
def test_an_address_in_the_arguments_of_a_letter_task_is_refused(alice, mailoutbox):
    from accounts.tasks import verification_letter_send

    with pytest.raises(AddressInTaskArguments):
        verification_letter_send.enqueue(user_id="alice@example.ru")

    assert mailoutbox == []


def test_addresses_hidden_in_lists_are_found_too():
    from pdrequests.tasks import due_requests_letter_send

    with pytest.raises(AddressInTaskArguments):
        due_requests_letter_send.enqueue(recipient_id=1, request_ids=[1, "x@example.ru"])


@pytest.mark.django_db
def test_in_production_an_address_is_logged_without_its_value_and_the_task_still_runs(
    settings, caplog
):
    from pdrequests.tasks import due_requests_letter_send

    settings.LETTER_TASKS_REFUSE_ADDRESSES = False
    result = due_requests_letter_send.enqueue(recipient_id=0, request_ids=["x@example.ru"])

    assert result.status == "SUCCESSFUL"
    [record] = [record for record in caplog.records if record.name == "lkk.letters"]
    assert "due_requests_letter_send" in record.getMessage()
    assert "@" not in record.getMessage()


def test_an_exception_for_an_argument_the_task_does_not_have_is_an_error():
    def notice_send(*, user_id: int) -> None: ...

    with pytest.raises(TypeError, match="new_email"):
        letter_task(addresses_allowed=["new_email"])(notice_send)
