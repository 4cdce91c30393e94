"""The calendar holds no consumer's data; its overrides name the staff who made them (see
`lkk.personal_data`)."""

from lkk import personal_data as pd

pd.register_staff_records("workcalendar.CalendarOverride")
