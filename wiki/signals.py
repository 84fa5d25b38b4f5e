"""The wiki's domain signals. Receivers live with the services that act on them."""

from django.dispatch import Signal

# Sent once the transaction that saved (or published) a Change has committed, with `change_id`
# and `published` (an earlier change was just published): watchlists notify from here.
change_committed = Signal()

# Sent once the transaction that published an Edition has committed, with `edition_id`: its
# files are built ahead from here (wiki.receivers).
edition_published = Signal()
