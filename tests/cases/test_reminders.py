"""Who the daily reminders of due cases reach: the rule the cases' letter and the PD requests'
letter share (`cases.services.due_recipients`)."""

from cases.services import due_recipients

ASSIGNEE, HANDLER, OTHER_HANDLER, OFFICER = 1, 2, 3, 4


def test_an_assignee_is_reminded_of_their_own_cases_only():
    due = [("taken", ASSIGNEE), ("nobody's", None)]

    assert due_recipients(due, handlers=[HANDLER]) == {
        ASSIGNEE: ["taken"],
        HANDLER: ["nobody's"],
    }


def test_a_case_nobody_took_reminds_every_handler():
    due = [("first", None), ("second", None)]

    assert due_recipients(due, handlers=[HANDLER, OTHER_HANDLER]) == {
        HANDLER: ["first", "second"],
        OTHER_HANDLER: ["first", "second"],
    }


def test_an_overseer_is_reminded_of_every_case_once_in_the_cases_order():
    # A PD officer answers for every request's term, taken or not, and may be an assignee too.
    due = [("soon", ASSIGNEE), ("overdue", None), ("own", OFFICER)]

    assert due_recipients(due, overseers=[OFFICER]) == {
        ASSIGNEE: ["soon"],
        OFFICER: ["soon", "overdue", "own"],
    }
