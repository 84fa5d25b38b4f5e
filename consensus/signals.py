"""Signals of the consensus app (past tense). Other apps (search) listen; consensus imports
none of them."""

from django.dispatch import Signal

# A référentiel's derived phase or status changed (sent inside the transaction): page_id.
referentiel_lifecycle_changed = Signal()
