"""The privacy app holds no consumer's data; its versions name the staff who published them
(see `lkk.personal_data`)."""

from lkk import personal_data as pd

pd.register_staff_records("privacy.PolicyVersion")
