"""Registry models: organisations, memberships, pseudonymised persons, registrations.

History is append-only: a correction is a new Registration version that points to the
one it replaces, a withdrawal is its own record with a reason, a new outcome is a new
PersonOutcome row. Foreign keys PROTECT: nothing cascades away silently. Writes go
through `lens.registry.actions`; reads of person data through `lens.access.policy`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Designated officer")
    ZORGCOORDINATOR = "zorgcoordinator", _("Care coordinator")
    ANALIST = "analist", _("Analyst")
    BEHEERDER = "beheerder", _("Administrator")


# Roles that belong to one organisation; the others belong to a region.
ORGANISATION_ROLES = (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS)
REGION_ROLES = (Role.ZORGCOORDINATOR, Role.ANALIST)
# Roles that may ever see person data (and so need a second factor).
PERSON_DATA_ROLES = (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.ZORGCOORDINATOR)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_type = models.CharField(_("organisation type"), max_length=64)  # catalogue
    region = models.CharField(_("region"), max_length=64)  # catalogue region code
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # Shown to other organisations involved with the same person (issue: ook betrokken).
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    contact_email = models.EmailField(_("contact e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "registry"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation (or a region). A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    region = models.CharField(_("region"), max_length=64, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "registry"
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_fits_role",
                condition=(
                    Q(role__in=ORGANISATION_ROLES, organisation__isnull=False)
                    | Q(role__in=REGION_ROLES, organisation__isnull=True) & ~Q(region="")
                    | Q(role=Role.BEHEERDER, organisation__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation.name if self.organisation_id else self.region or "-"
        return f"{self.get_role_display()} · {scope}"


class Person(models.Model):
    """A person registered by one organisation, known by a pseudonym.

    The identity (names, birth date, BSN, sex) is stored only encrypted (envelope
    encryption, `lens.access.crypto`); matching uses keyed hashes. Screens show the
    pseudonym and an age band, never the name unless it is explicitly revealed.
    """

    pseudonym = models.CharField(max_length=16, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Encrypted identity: a data key wrapped with the master key `identity_key_id`.
    identity_key_id = models.CharField(max_length=32)
    identity_wrapped_key = models.BinaryField()
    identity_nonce = models.BinaryField()
    identity_ciphertext = models.BinaryField()
    # HMAC-SHA256 match keys (hex); the secret is outside the database.
    bsn_match_key = models.CharField(max_length=64, blank=True, db_index=True)
    name_match_key = models.CharField(max_length=64, db_index=True)
    birth_year = models.PositiveSmallIntegerField()  # for the age band, without decrypting
    # Keyed blocking keys of the fuzzy match rule (lens.coordination.similarity.blocks,
    # lens.coordination.blocking): only persons sharing one of them are compared. Each
    # indexed with the organisation (Meta.indexes): a look-up and the batch run's
    # self-join skip the same organisation's records from the index alone.
    block_date_given_key = models.CharField(max_length=64, blank=True)
    block_date_family_key = models.CharField(max_length=64, blank=True)
    block_names_key = models.CharField(max_length=64, blank=True)
    block_year_names_key = models.CharField(max_length=64, blank=True)
    # The organisation's own reference (eigen kenmerk, e.g. a client number), optional:
    # sealed with the identity's data key, and found by a keyed hash scoped to the
    # organisation (lens.registry.references). Not unique: a household number may cover
    # several persons.
    reference_nonce = models.BinaryField(blank=True, default=b"")
    reference_ciphertext = models.BinaryField(blank=True, default=b"")
    reference_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        app_label = "registry"
        ordering = ["pseudonym"]
        indexes = [
            models.Index(fields=["organisation", "reference_key"], name="person_reference"),
            models.Index(
                fields=["block_date_given_key", "organisation"], name="person_block_date_given"
            ),
            models.Index(
                fields=["block_date_family_key", "organisation"], name="person_block_date_family"
            ),
            models.Index(fields=["block_names_key", "organisation"], name="person_block_names"),
            models.Index(
                fields=["block_year_names_key", "organisation"], name="person_block_year_names"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "bsn_match_key"],
                condition=~Q(bsn_match_key=""),
                name="person_bsn_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class HowLearned(models.TextChoices):
    SEEN = "seen_myself", _("Seen myself")
    TOLD_BY_PERSON = "told_by_person", _("Told by the person")
    TOLD_BY_OTHERS = "told_by_others", _("Told by others")


class OutcomeQuerySet(models.QuerySet):
    """Reads of a person's stored outcomes (PersonOutcome): "the latest outcome" is the
    newest by (computed_at, id), served by the (person, computed_at, id) index.
    CombinedOutcome has its own: one row per cluster and region."""

    def newest_first(self) -> OutcomeQuerySet:
        return self.order_by("-computed_at", "-pk")

    def latest_for(self, person: Person | int):
        """The person's latest outcome, or None."""
        return self.filter(person=person).newest_first().first()

    def latest_value(self, field: str, person: models.Expression | None = None) -> Subquery:
        """`field` of the latest outcome of the person in the outer query (its pk, or
        `person`): for annotating a Person queryset in the same query."""
        of = self.filter(person=person if person is not None else OuterRef("pk"))
        return Subquery(of.newest_first().values(field)[:1])


def latest_outcome_index(name: str) -> models.Index:
    return models.Index(fields=["person", "-computed_at", "-id"], name=name)


class RegistrationQuerySet(models.QuerySet):
    def current(self) -> RegistrationQuerySet:
        """The versions that count: not superseded by a correction, not withdrawn."""
        return self.filter(superseded_by__isnull=True, withdrawal__isnull=True)

    def as_of(self, moment) -> RegistrationQuerySet:
        """The versions that counted at `moment`: recorded before it, and neither
        superseded by a correction recorded before it nor withdrawn before it (a closed
        period of the local picture is counted as it stood when it was closed)."""
        return (
            self.filter(created_at__lt=moment)
            .exclude(superseded_by__created_at__lt=moment)
            .exclude(withdrawal__withdrawn_at__lt=moment)
        )

    def current_of(self, person: Person) -> RegistrationQuerySet:
        """The current registrations of the person's own organisation, oldest first."""
        return (
            self.current()
            .filter(person=person, organisation_id=person.organisation_id)
            .order_by("observed_on", "pk")
        )


class Registration(models.Model):
    """One observation of signals about a person, by one organisation.

    Corrections add a new version (`supersedes` points to the one replaced); the current
    versions are those nobody supersedes and that are not withdrawn.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registrations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField(_("date observed"))
    how_learned = models.CharField(_("how learned"), max_length=32, choices=HowLearned.choices)
    context_note = models.TextField(_("context"), blank=True)
    signals = models.JSONField(default=list)  # catalogue signal codes
    risk_factors = models.JSONField(default=list)  # catalogue risk factor codes
    catalogue_version = models.CharField(max_length=64)
    # Where the person lives as known at this registration, and the linked phenomena seen
    # with it: for the analist's local picture (lens.insight.recording). Only the four
    # digits of a postcode, never a full postcode or an address; the CBS codes with the
    # data year of catalogue/areas/, so a later boundary change never moves an old count.
    municipality_code = models.CharField(_("municipality"), max_length=6, blank=True)
    wijk_code = models.CharField(_("district"), max_length=8, blank=True)
    pc4 = models.CharField(_("postcode (four digits)"), max_length=4, blank=True)
    areas_year = models.PositiveSmallIntegerField(null=True, blank=True)
    phenomena = models.JSONField(default=list, blank=True)  # catalogue phenomenon codes
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        app_label = "registry"
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(
                fields=["municipality_code", "observed_on"], name="registration_area_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version} ({self.observed_on})"


class Withdrawal(models.Model):
    """Withdrawing a registration needs a reason; the registration itself stays."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.TextField(_("reason"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "registry"

    def __str__(self) -> str:
        return f"withdrawal of {self.registration_id}"


class PersonOutcome(models.Model):
    """The lens engine's outcome over one organisation's current registrations."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="outcomes")
    level = models.PositiveSmallIntegerField()
    # lens.rules.report.outcome_to_dict, in Dutch, in older rows only. Empty (NULL) since
    # issue 14 for every new outcome, of the bulk recompute (lens.registry.recompute) and
    # of the per-person path (lens.registry.actions.recompute_outcome): its report is drawn
    # again from the same input as of `as_of` with the row's versions when asked for
    # (lens.data.queries.outcome_document), so that no recompute stores a copy of the
    # texts. An earlier row keeps its level, time, versions, date and digest: the history.
    outcome = models.JSONField(null=True)
    # The comparable content (lens.rules.compiled.content) as a hex MD5: a recompute
    # stores a new row only when it differs from the latest one's. Empty for older rows.
    digest = models.CharField(max_length=32, blank=True, default="")
    as_of = models.DateField(null=True)  # the reference date for recency
    # Leefgebieden without information ("Wat zie ik nog niet?"), kept beside the outcome
    # so that a list shows it without reading every row's JSON (lens.data.queries.blind_spots).
    blind_spots = models.PositiveSmallIntegerField(null=True)
    # Whether the outcome counts a current signal marked acute (the engine's `acute`
    # metric above 0), written when the outcome is computed: with the level, what calls
    # for 112 first (lens.casework.workflow.acute_advised), so that the case page and the
    # work list read it without drawing the report again.
    acute_signal = models.BooleanField(default=False)
    catalogue_version = models.CharField(max_length=64)
    ruleset_version = models.CharField(max_length=64)
    computed_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        app_label = "registry"
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]
        indexes = [latest_outcome_index("personoutcome_latest")]

    def __str__(self) -> str:
        return f"{self.person_id}: level {self.level}"


class OutcomeRun(models.Model):
    """One recompute of every person's outcome with a catalogue and ruleset version
    (lens.registry.recompute). It stores a PersonOutcome only for the persons whose
    outcome changed; for the others this record says that their latest outcome still held
    under these versions from `started_at` on. Append-only, like the outcomes."""

    catalogue_version = models.CharField(max_length=64)
    ruleset_version = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    persons = models.PositiveIntegerField(default=0)  # assessed
    changed = models.PositiveIntegerField(default=0)  # a new PersonOutcome stored

    class Meta:
        app_label = "registry"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["catalogue_version", "ruleset_version", "-started_at"],
                name="outcomerun_versions",
            )
        ]

    def __str__(self) -> str:
        return f"recompute {self.catalogue_version}/{self.ruleset_version} at {self.started_at}"


class InformedWho(models.TextChoices):
    PERSON = "person", _("The person")
    PARENTS = "parents", _("The parents or guardians")


class InformedNotice(models.Model):
    """Whether and when the person (or, under 16, the parents) was told, or why not."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="informed_notices")
    informed = models.BooleanField(_("informed"))
    informed_on = models.DateField(_("informed on"), null=True, blank=True)
    who = models.CharField(
        _("who was informed"), max_length=16, choices=InformedWho.choices, blank=True
    )
    reason_not = models.TextField(_("reason for not informing"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "registry"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="informed_has_date_and_who_or_reason",
                condition=(
                    Q(informed=True, informed_on__isnull=False) & ~Q(who="")
                    | Q(informed=False) & ~Q(reason_not="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: informed={self.informed}"


class Submission(models.Model):
    """One submission of a form or API request that writes, by its idempotency key.

    The key comes from the client: a hidden field in the web forms, the `Idempotency-Key`
    header in the API. The row is inserted in the same transaction as the write it guards,
    and the unique constraint on (user, key) makes a second submission with the same key
    wait for the first and then find it: it is answered with the first one's result
    instead of writing again (lens.web.submissions). `result` refers to what was
    written (ids and the status), never to its content.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request, hex
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "registry"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
