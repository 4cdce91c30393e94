"""What the consents app announces to the apps above it, which it does not import."""

from django.dispatch import Signal

# The required consent was withdrawn, inside the transaction that recorded it: the account is
# closed and the person's data must be destroyed (152-FZ art. 21 part 5). Sent with `record`
# (the withdrawal), `acted_by` (who acted for the person, or None) and `details` (the
# withdrawal in words). `pdrequests` files the withdrawal request.
required_consent_withdrawn = Signal()
