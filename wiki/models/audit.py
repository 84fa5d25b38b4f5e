"""Audit of group memberships (roles) with django-simple-history.

`User` is Django's model, so its history is registered here, in the wiki app: every change of a
user's groups, from either side of the relation (`user.groups.add(…)` or
`group.user_set.add(…)`), leaves a HistoricalUser row with a snapshot of the groups
(`HistoricalUser.groups`) and, in a request, the acting user (HistoryRequestMiddleware).
Passwords are never copied into the history; a login alone (last_login) is not recorded."""

import simple_history
from django.contrib.auth.models import User
from simple_history.models import HistoricalRecords


class MembershipHistoricalRecords(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        # `group.user_set.…`: `instance` is the Group, the users are `model` rows.
        if action == "pre_clear":
            instance._history_cleared_user_pks = list(
                instance.user_set.values_list("pk", flat=True)
            )
            return None
        if action == "post_clear":
            pk_set = getattr(instance, "_history_cleared_user_pks", [])
        elif action not in ("post_add", "post_remove"):
            return None
        for user in model.objects.filter(pk__in=pk_set or []):
            self.create_historical_record(user, "~")
        return None


if not hasattr(User._meta, "simple_history_manager_attribute"):
    simple_history.register(
        User,
        app="wiki",
        records_class=MembershipHistoricalRecords,
        m2m_fields=["groups"],
        excluded_fields=["password", "last_login"],
        user_related_name="+",
    )
