"""The access log (NEN 7513): who did what with whose data, when, why and from where.

Append-only: database triggers refuse UPDATE and DELETE (see the migration), and each
entry carries a keyed hash over its content and the previous entry's hash, so
`lens accesslog verify` finds any changed, removed or inserted entry. The entry keeps
names as text (not foreign keys) so that no deletion elsewhere can cascade into it.
"""

from django.db import models


class Action(models.TextChoices):
    LIST = "list", "list"
    READ = "read", "read"
    CREATE = "create", "create"
    CHANGE = "change", "change"
    WITHDRAW = "withdraw", "withdraw"
    REVEAL = "reveal", "reveal"
    EXPORT = "export", "export"
    DELETE = "delete", "delete"


class AccessLogEntry(models.Model):
    # Indexed: the id (the chain's order, `verify`) and `person_id` (a person's entries:
    # "wie heeft dit ingezien", the access request). No other read asks for an index,
    # and every index costs each write of the log (a list page writes 25 entries): the
    # time, the pseudonym (only the operator's export by pseudonym reads by it, rarely,
    # and may scan) and the hash (the chain makes it unique; nothing looks it up) are
    # not indexed (migration 0004).
    at = models.DateTimeField()
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    person_pseudonym = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    api_client = models.CharField(max_length=100, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.person_pseudonym}"
