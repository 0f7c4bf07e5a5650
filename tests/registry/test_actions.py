"""The actions layer: every write in one transaction with its access-log entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lens.access import log
from lens.access.crypto import open_identity
from lens.access.models import AccessLogEntry, Action
from lens.access.rotation import sealed_of
from lens.data import queries
from lens.data.registry import (
    InformedNotice,
    Person,
    PersonOutcome,
    Registration,
    Role,
    Withdrawal,
)
from lens.registry import actions

from . import factories

pytestmark = pytest.mark.django_db


def soft_signals(catalogue, n=2):
    """n soft, non-acute signals in different leefgebieden."""
    picked, domains = [], set()
    for s in catalogue.signals.values():
        if s.strength == "zacht" and not s.acute and s.life_domains[0] not in domains:
            picked.append(s.code)
            domains.add(s.life_domains[0])
        if len(picked) == n:
            return picked
    raise AssertionError("catalogue has too few soft signals")


def entries(**filters):
    return list(AccessLogEntry.objects.filter(**filters).order_by("id"))


# --- register_person -----------------------------------------------------------------------


def test_register_person_seals_identity_with_the_pseudonym(world):
    actor = world.actor(Role.PROFESSIONAL)
    identity = factories.identity(given_names="Anna Maria", family_name="de Synthetica")
    person, created = actions.register_person(actor, identity, purpose="test")
    assert created
    assert person.pseudonym.startswith("P-") and len(person.pseudonym) == 6
    assert person.organisation == world.own
    assert person.birth_year == identity.birth_date.year
    assert b"Synthetica" not in bytes(person.identity_ciphertext)
    assert open_identity(sealed_of(person), person.pseudonym.encode()) == identity
    [entry] = entries(person_id=person.pk)
    assert (entry.action, entry.object_type, entry.purpose) == (Action.CREATE, "person", "test")


def test_same_bsn_in_the_organisation_returns_the_known_person(world):
    actor = world.actor(Role.PROFESSIONAL)
    bsn = factories.valid_bsn(1)
    first, created = actions.register_person(actor, factories.identity(bsn=bsn), purpose="x")
    # Another name, the same BSN: the BSN decides.
    again, created_again = actions.register_person(
        world.actor(Role.AANDACHTSFUNCTIONARIS), factories.identity(bsn=bsn), purpose="x"
    )
    assert created and not created_again
    assert again == first
    assert entries(person_id=first.pk)[-1].action == Action.READ


def test_same_name_and_birth_date_without_bsn_said_same_returns_the_known_person(world):
    actor = world.actor(Role.PROFESSIONAL)
    identity = factories.identity()
    first, _ = actions.register_person(actor, identity, purpose="x")
    again, created = actions.register_person(
        actor,
        factories.identity(
            given_names=identity.given_names.upper(),
            family_name=identity.family_name,
            birth_date=identity.birth_date,
        ),
        purpose="x",
        name_match=actions.SAME,
    )
    assert not created and again == first


def test_another_organisation_gets_its_own_person(world):
    identity = factories.identity(bsn=factories.valid_bsn(2))
    own, _ = actions.register_person(world.actor(Role.PROFESSIONAL), identity, purpose="x")
    other, created = actions.register_person(
        factories.actor(world.other_professional), identity, purpose="x"
    )
    assert created and other != own and other.organisation == world.other


def test_invalid_bsn_is_refused_in_dutch(world):
    with pytest.raises(ValidationError) as raised:
        actions.register_person(
            world.actor(Role.PROFESSIONAL), factories.identity(bsn="123456789"), purpose="x"
        )
    assert "elfproef" in str(raised.value.message_dict["bsn"])
    assert Person.objects.count() == 2  # the world's two


@pytest.mark.parametrize("field", ["given_names", "family_name"])
@pytest.mark.parametrize(
    "name",
    ["\u200b\u200b", "\U0001f600", "...", "1234", "\u200d-\u2060"],
    ids=["zero-width", "emoji", "dots", "digits", "joiners"],
)
def test_a_name_without_a_letter_is_refused_in_dutch(world, field, name):
    with pytest.raises(ValidationError) as raised:
        actions.register_person(
            world.actor(Role.PROFESSIONAL), factories.identity(**{field: name}), purpose="x"
        )
    assert raised.value.message_dict[field] == ["Schrijf de naam met minstens één letter."]
    assert Person.objects.count() == 2  # the world's two


@pytest.mark.parametrize("field", ["given_names", "family_name"])
def test_a_name_longer_than_the_limit_is_refused_by_the_action(world, field):
    """The forms and the API say it too; the action is where the rule lives."""
    from lens.registry import rules

    actor = world.actor(Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as raised:
        actions.register_new(
            actor, factories.identity(**{field: "J" * (rules.NAME_MAX + 1)}), purpose="x"
        )
    (error,) = raised.value.error_dict[f"identity.{field}"]
    assert error.code == "max_length"
    assert Person.objects.count() == 2  # the world's two
    _person, created = actions.register_person(
        actor, factories.identity(**{field: "J" * rules.NAME_MAX}), purpose="x"
    )
    assert created


# Control characters (Cc), format characters such as bidi overrides (Cf) and line or
# paragraph separators: a terminal, a page or a letter acts on them or shows another name.
CONTROLS = {
    "bell-escape": "A\x07\x1b[2J",
    "delete-nel": "Jansen\x07\x7f\u0085",
    "bidi-override": "\u202eevil",
    "bidi-isolate": "Jan\u2067sen",
    "zero-width-space": "Jan\u200bsen",
    "soft-hyphen": "Jan\u00adsen",
    "tab": "Jan\tsen",
    "line-separator": "Jan\u2028sen",
}


@pytest.mark.parametrize("field", ["given_names", "family_name"])
@pytest.mark.parametrize("name", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_name_with_a_control_or_format_character_is_refused_in_dutch(world, field, name):
    with pytest.raises(ValidationError) as raised:
        actions.register_new(
            world.actor(Role.PROFESSIONAL), factories.identity(**{field: name}), purpose="x"
        )
    (error,) = raised.value.error_dict[f"identity.{field}"]
    assert error.code == "control_character"
    assert error.message == "Haal de stuurtekens en onzichtbare opmaaktekens uit de naam."
    assert Person.objects.count() == 2  # the world's two


def test_the_joiners_some_scripts_spell_names_with_are_accepted(world):
    # Persian: ZERO WIDTH NON-JOINER inside a given name; Devanagari: a ZERO WIDTH JOINER.
    identity = factories.identity(
        given_names="\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627",
        family_name="\u0915\u094d\u200d\u0937",
    )
    _person, created = actions.register_person(
        world.actor(Role.PROFESSIONAL), identity, purpose="x"
    )
    assert created


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("\u0645\u062d\u0645\u062f", "\u0627\u0644\u0639\u0644\u064a"),  # Arabic
        ("\u1230\u120b\u121d", "\u1308\u1265\u1228\u1218\u12f5\u1285"),  # Tigrinya
        ("\u0401\u043b\u0435\u043d\u0430", "\u041f\u0435\u0442\u0440\u043e\u0432\u0430"),
        ("Ang\u00e9lique", "\u00c7elik-\u00d8stergaard"),
    ],
    ids=["arabic", "tigrinya", "cyrillic", "diacritics"],
)
def test_names_in_any_script_are_registered_with_a_match_key(world, given, family):
    actor = world.actor(Role.PROFESSIONAL)
    who = factories.identity(given_names=given, family_name=family)
    person, created = actions.register_person(actor, who, purpose="x")
    assert created and person.name_match_key
    # Without a BSN, the same name and birth date is only the same person when the
    # professional says so (the explicit step against duplicates, issue 9 defect 2).
    with pytest.raises(actions.PossiblySamePerson):
        actions.register_person(actor, who, purpose="x")
    again, created_again = actions.register_person(actor, who, purpose="x", name_match="same")
    assert (again, created_again) == (person, False)


@pytest.mark.parametrize("role", [Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER])
def test_roles_without_person_data_cannot_register(world, role):
    with pytest.raises(PermissionDenied):
        actions.register_person(world.actor(role), factories.identity(), purpose="x")


# --- register_signals ----------------------------------------------------------------------


def test_register_signals_stores_registration_log_and_outcome(world, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    codes = soft_signals(catalogue)
    risk = next(iter(catalogue.risk_factors))
    registration = actions.register_signals(
        actor,
        person,
        signals=list(reversed(codes)),
        observed_on=timezone.localdate(),
        how_learned="seen_myself",
        context_note="  iets gezien  ",
        risk_factors=[risk, risk],
    )
    assert registration.signals == [c for c in catalogue.signals if c in codes]  # catalogue order
    assert registration.risk_factors == [risk]
    assert registration.context_note == "iets gezien"
    assert registration.catalogue_version == catalogue.version
    [outcome] = PersonOutcome.objects.filter(person=person)
    assert outcome.catalogue_version == catalogue.version
    shown = factories.document(outcome)
    assert {s["code"] for s in shown["explanation"]["signals"]} == set(codes)
    assert [r["code"] for r in shown["explanation"]["risk_factors"]] == [risk]
    assert shown["region"] == world.own.region
    log_entry = entries(person_id=person.pk, object_type="registration")
    assert [(e.action, e.object_id) for e in log_entry] == [(Action.CREATE, str(registration.pk))]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signals": []}, "signals", "Vink minstens één signaal aan."),
        ({"signals": ["no_such_signal"]}, "signals", "no_such_signal"),
        ({"risk_factors": ["no_such_risk"]}, "risk_factors", "no_such_risk"),
        ({"observed_on": None}, "observed_on", "Vul de datum in"),
        ({"how_learned": "guessed"}, "how_learned", "Kies hoe u dit weet."),
    ],
)
def test_register_signals_refuses_bad_input_in_dutch(world, changes, field, message):
    actor = world.actor(Role.PROFESSIONAL)
    before = (Registration.objects.count(), PersonOutcome.objects.count(), log_count())
    with pytest.raises(ValidationError) as raised:
        factories.registration(actor, world.own_person, **changes)
    assert field in raised.value.message_dict
    assert message in " ".join(raised.value.message_dict[field])
    assert (Registration.objects.count(), PersonOutcome.objects.count(), log_count()) == before


def test_observed_on_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as raised:
        factories.registration(
            world.actor(Role.PROFESSIONAL),
            world.own_person,
            observed_on=timezone.localdate() + timedelta(days=1),
        )
    assert "observed_on" in raised.value.message_dict


def test_observed_on_before_the_birth_year_is_refused_also_in_a_correction(world):
    actor = world.actor(Role.PROFESSIONAL)
    before_birth = date(world.own_person.birth_year - 1, 12, 31)
    with pytest.raises(ValidationError) as raised:
        factories.registration(actor, world.own_person, observed_on=before_birth)
    assert "vóór de geboorte" in " ".join(raised.value.message_dict["observed_on"])
    registration = factories.registration(actor, world.own_person)
    with pytest.raises(ValidationError) as raised:
        actions.correct_registration(actor, registration, observed_on=before_birth)
    assert "observed_on" in raised.value.message_dict


def test_register_signals_for_another_organisations_person_is_404(world):
    with pytest.raises(Http404):
        factories.registration(world.actor(Role.PROFESSIONAL), world.other_person)


def log_count() -> int:
    return AccessLogEntry.objects.count()


# --- corrections and withdrawals -----------------------------------------------------------


def test_correction_adds_a_version_and_supersedes(world, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    original = world.own_registration
    codes = soft_signals(catalogue, 2)
    corrected = actions.correct_registration(actor, original, signals=codes)
    assert corrected.version == 2 and corrected.supersedes == original
    assert corrected.context_note == original.context_note  # unchanged fields carried over
    original.refresh_from_db()
    assert original.signals != corrected.signals  # the old version is kept as it was
    assert list(queries.current_registrations(world.own_person)) == [corrected]
    latest = queries.latest_outcome(world.own_person)
    assert {s["code"] for s in factories.document(latest)["explanation"]["signals"]} == set(codes)
    assert entries(object_type="registration", action=Action.CHANGE)[-1].object_id == str(
        corrected.pk
    )
    # The old version cannot be corrected or withdrawn again.
    with pytest.raises(ValidationError):
        actions.correct_registration(actor, original, context_note="nog eens")
    with pytest.raises(ValidationError):
        actions.withdraw_registration(actor, original, "reden")


def test_whether_a_registration_is_current_is_read_from_the_database(world):
    actor = world.actor(Role.PROFESSIONAL)
    first = factories.registration(actor, world.own_person)
    in_hand = queries.registration_of(world.own_person, first.pk)  # loaded before the change
    assert queries.why_not_current(in_hand) is None and queries.is_current(in_hand)
    corrected = actions.correct_registration(actor, first, context_note="later gezien")
    assert queries.why_not_current(in_hand) == "corrected"
    newest = queries.registration_of(world.own_person, corrected.pk)  # in hand, then
    actions.withdraw_registration(actor, corrected, "vergissing")  # withdrawn meanwhile
    assert queries.why_not_current(newest) == "withdrawn"
    assert not queries.is_current(newest)


def test_correction_without_change_is_refused(world):
    with pytest.raises(ValidationError, match="Er is niets veranderd"):
        actions.correct_registration(
            world.actor(Role.PROFESSIONAL),
            world.own_registration,
            context_note=world.own_registration.context_note,
        )


def test_correction_of_unknown_field_is_a_programming_error(world):
    with pytest.raises(TypeError):
        actions.correct_registration(
            world.actor(Role.PROFESSIONAL), world.own_registration, person=world.other_person
        )


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_withdrawal_needs_a_reason(world, reason):
    with pytest.raises(ValidationError) as raised:
        actions.withdraw_registration(
            world.actor(Role.PROFESSIONAL), world.own_registration, reason
        )
    assert raised.value.message_dict["reason"] == ["Geef de reden van het intrekken."]
    assert not Withdrawal.objects.exists()


def test_withdrawal_keeps_the_registration_and_recomputes(world):
    actor = world.actor(Role.AANDACHTSFUNCTIONARIS)
    withdrawal = actions.withdraw_registration(actor, world.own_registration, "verkeerde persoon")
    assert withdrawal.reason == "verkeerde persoon"
    assert Registration.objects.filter(pk=world.own_registration.pk).exists()
    assert not queries.current_registrations(world.own_person).exists()
    assert queries.latest_outcome(world.own_person).level == 0
    entry = entries(action=Action.WITHDRAW)[-1]
    assert entry.object_id == str(world.own_registration.pk)
    assert "verkeerde persoon" not in entry.purpose  # free text stays out of the log


def test_another_organisation_cannot_withdraw(world):
    with pytest.raises(Http404):
        actions.withdraw_registration(
            factories.actor(world.other_professional), world.own_registration, "reden"
        )


# --- informing -----------------------------------------------------------------------------


def test_record_informed(world):
    actor = world.actor(Role.PROFESSIONAL)
    notice = actions.record_informed(
        actor, world.own_person, informed=True, informed_on=timezone.localdate(), who="parents"
    )
    assert notice.informed and notice.who == "parents"
    not_told = actions.record_informed(
        actor, world.own_person, informed=False, reason_not="zou gevaar opleveren"
    )
    assert queries.latest_informed(world.own_person) == not_told
    assert len(entries(object_type="informed_notice")) == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"informed": True, "who": "person"}, "informed_on"),
        ({"informed": True, "informed_on": "today"}, "who"),
        ({"informed": False}, "reason_not"),
        ({"informed": False, "reason_not": "   "}, "reason_not"),
    ],
)
def test_record_informed_refuses_incomplete_input(world, kwargs, field):
    if kwargs.get("informed_on") == "today":
        kwargs["informed_on"] = timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        actions.record_informed(world.actor(Role.PROFESSIONAL), world.own_person, **kwargs)
    assert field in raised.value.message_dict
    assert not InformedNotice.objects.exists()


# --- reveal --------------------------------------------------------------------------------


def test_reveal_needs_a_purpose_and_logs_it(world):
    actor = world.actor(Role.PROFESSIONAL)
    identity = factories.identity()
    person, _ = actions.register_person(actor, identity, purpose="x")
    with pytest.raises(ValidationError):
        actions.reveal_identity(actor, person, "  ")
    assert not entries(action=Action.REVEAL)
    assert actions.reveal_identity(actor, person, "melding Veilig Thuis") == identity
    [entry] = entries(action=Action.REVEAL)
    assert (entry.person_id, entry.purpose) == (person.pk, "melding Veilig Thuis")


@pytest.mark.parametrize("role", [Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER])
def test_reveal_refused_for_roles_without_person_data(world, role):
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(world.actor(role), world.own_person, "nieuwsgierig")


def test_reveal_of_another_organisations_person_is_404(world):
    with pytest.raises(Http404):
        actions.reveal_identity(world.actor(Role.PROFESSIONAL), world.other_person, "doel")


# --- every write says why ------------------------------------------------------------------


def test_every_write_is_logged_with_its_purpose(world):
    """NEN 7513: each entry says why, also for the writes whose callers give no purpose."""
    actor = world.actor(Role.PROFESSIONAL)
    since = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    person, _ = actions.register_person(actor, factories.identity(), purpose="nieuwe registratie")
    registration = factories.registration(actor, person)
    corrected = actions.correct_registration(actor, registration, context_note="anders gezien")
    actions.withdraw_registration(actor, corrected, "vergissing")
    actions.record_informed(actor, person, informed=False, reason_not="gevaar")
    actions.reveal_identity(actor, person, "melding Veilig Thuis")
    written = [
        (e.action, e.object_type, e.purpose) for e in entries(person_id=person.pk, id__gt=since)
    ]
    assert written == [
        (Action.CREATE, "person", "nieuwe registratie"),
        (Action.CREATE, "registration", actions.PURPOSE_SIGNALS),
        (Action.CHANGE, "registration", f"correctie van registratie {registration.pk}"),
        (Action.WITHDRAW, "registration", "intrekking"),
        (Action.CHANGE, "informed_notice", actions.PURPOSE_INFORMED),
        (Action.REVEAL, "identity", "melding Veilig Thuis"),
    ]
    assert all(purpose.strip() for _action, _object, purpose in written)


# --- nothing half-written ------------------------------------------------------------------


def failing_record(*args, **kwargs):
    raise RuntimeError("the access log cannot be written")


def test_nothing_is_written_when_the_log_fails(world, monkeypatch, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    before = factories.counts()
    monkeypatch.setattr(log, "record", failing_record)
    attempts = [
        lambda: actions.register_person(actor, factories.identity(), purpose="x"),
        lambda: factories.registration(actor, world.own_person),
        lambda: actions.correct_registration(
            actor, world.own_registration, signals=soft_signals(catalogue)
        ),
        lambda: actions.withdraw_registration(actor, world.own_registration, "reden"),
        lambda: actions.record_informed(
            actor, world.own_person, informed=False, reason_not="gevaar"
        ),
        lambda: actions.reveal_identity(actor, world.own_person, "doel"),
    ]
    for attempt in attempts:
        # The log's own error, not another one on the way there (that would pass too).
        with pytest.raises(RuntimeError, match="the access log cannot be written"):
            attempt()
    assert factories.counts() == before


def test_nothing_is_written_when_the_outcome_fails(world, monkeypatch):
    before = (Registration.objects.count(), AccessLogEntry.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(actions.outcomes, "assess", broken)
    with pytest.raises(RuntimeError, match="engine down"):
        factories.registration(world.actor(Role.PROFESSIONAL), world.own_person)
    assert (Registration.objects.count(), AccessLogEntry.objects.count()) == before


# --- the outcome ---------------------------------------------------------------------------


def test_outcome_counts_only_the_organisations_current_registrations(world, catalogue):
    actor = world.actor(Role.PROFESSIONAL)
    person = factories.person(actor)
    first, second = soft_signals(catalogue, 2)
    kept = factories.registration(actor, person, signals=[first])
    dropped = factories.registration(actor, person, signals=[second])
    actions.withdraw_registration(actor, dropped, "vergissing")
    outcome = queries.latest_outcome(person)
    assert [s["code"] for s in factories.document(outcome)["explanation"]["signals"]] == [first]
    assert kept.pk in queries.current_registrations(person).values_list("pk", flat=True)


def test_outcome_leaves_out_codes_the_catalogue_no_longer_knows(world):
    Registration.objects.filter(pk=world.own_registration.pk).update(
        signals=["retired_signal"], risk_factors=["retired_risk"]
    )
    outcome = actions.recompute_outcome(world.own_person)
    assert outcome.level == 0
    assert factories.document(outcome)["not_in_catalogue"] == ["retired_risk", "retired_signal"]
