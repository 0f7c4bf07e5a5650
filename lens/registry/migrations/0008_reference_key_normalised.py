"""The own reference's keyed hash under the rule that also removes dashes
(lens.registry.references.normalise): "AB-123" and "ab 123" are one reference now.

The reference is sealed beside the identity, and it can be opened here: the identity
keys are configured for `migrate` as for any use of the registry (as registry 0002 opens
identities for the blocking keys). So every stored hash is recomputed from the reference
as written, with the same function storing and searching use; searching needs no legacy
form. A reference that is no longer valid under the new rule (nothing but dashes) keeps
its old hash: it is still shown and can be changed on its page. Going back leaves the
new hashes (a search under the old rule misses dashed references until they are set
again)."""

from django.core.exceptions import ValidationError
from django.db import migrations


def recompute_reference_keys(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    with_reference = Person.objects.exclude(reference_key="")
    if not with_reference.exists():
        return
    from lens.registry import references

    for person in with_reference.iterator(chunk_size=500):
        try:
            parsed = references.parse(references.opened(person))
        except ValidationError:
            continue
        if parsed is None:
            continue
        key = references.search_key(person.organisation_id, parsed)
        if key != person.reference_key:
            person.reference_key = key
            person.save(update_fields=["reference_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_registration_area_phenomena"),
    ]

    operations = [
        migrations.RunPython(recompute_reference_keys, migrations.RunPython.noop),
    ]
