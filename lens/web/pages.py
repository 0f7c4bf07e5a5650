"""What every page shares: rendering in the page frame, the active catalogue, forms
bound to a POST, writes through the actions layer with their errors on the forms, once
per submission key, and the error summary. Public: the registry, coordination, check,
core and account pages use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lens.catalogue import services
from lens.web import submissions
from lens.web.forms import PageForm

PAGE_SIZE = 25  # rows per page of a list

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.rules.model import Ruleset


def language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


BAD_LINK = 400  # the status of a list whose link asks for something it does not have


def status_of(list_notices) -> int:
    """400 (BAD_LINK) for a list with notices (lens.web.lists.notices), 200 otherwise."""
    return BAD_LINK if list_notices else 200


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """`template` in the page frame. A list whose link asks for something it does not have
    (`list_notices`, lens.web.lists: an unknown filter value, a page that is not a page of
    it) answers 400 with its notices, as the local picture does for an unknown filter and
    the API for a bad query: a shared link that looks filtered but is not would mislead."""
    if status == 200:
        status = status_of(context.get("list_notices", ()))
    context = {
        "submission_key": submission_key(request) or submissions.new_key(),
        **context,
    }
    return django_render(request, template, context, status=status)


# What `url_for` may put into a URL as it is: the letters, digits and hyphens of a
# pseudonym (anything else goes through Django's reverse, which quotes it).
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_MARKER = "P-URLMARKER"


def url_for(view_name: str, kwarg: str) -> Callable[[str], str]:
    """`reverse(view_name, kwargs={kwarg: value})` for the rows of a list at the cost of
    one reverse: the URL is reversed once (in the active language) with a marker, and
    each row's value takes the marker's place. A value with other characters than
    letters, digits and hyphens is reversed on its own."""
    pattern = reverse(view_name, kwargs={kwarg: _MARKER})
    before, _marker, after = pattern.partition(_MARKER)

    def url(value: str) -> str:
        if value and _PLAIN.issuperset(value):
            return f"{before}{value}{after}"
        return reverse(view_name, kwargs={kwarg: value})

    return url


def submission_key(request: HttpRequest) -> str:
    """The posted form's submission key (hidden field), or "" when there is none."""
    if request.method != "POST" or getattr(request, "new_submission_key", False):
        return ""
    key = request.POST.get(submissions.FORM_FIELD, "")
    return key if submissions.key_is_valid(key) else ""


def needs_catalogue(view):
    """Call the view with the active catalogue and ruleset (keyword arguments `catalogue`
    and `ruleset`); without them, the registry's 503 page."""

    @wraps(view)
    def with_catalogue(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            catalogue, ruleset = services.active()
        except services.NoCatalogueLoaded:
            return render(request, "web/unavailable.html", {}, status=503)
        return view(request, *args, catalogue=catalogue, ruleset=ruleset, **kwargs)

    return with_catalogue


def posted(request: HttpRequest) -> QueryDict | None:
    """What a form page's form is bound to: the posted data, or nothing on a GET."""
    return request.POST if request.method == "POST" else None


class Elsewhere(Exception):
    """Raised inside a page's read (a `build` of the policy's `get_..._for`) when the
    page is not shown but `response` is answered instead (back to the person or the
    case): it rolls the read back with its access-log entry, since nothing was shown.
    The view catches it and answers `response`."""

    def __init__(self, response: HttpResponse):
        super().__init__()
        self.response = response


def form_read[Found, Built](
    request: HttpRequest,
    *,
    get: Callable[[Callable[[Found], tuple[Found, Built]]], tuple[Found, Built]],
    find: Callable[[], Found],
    build: Callable[[Found], Built],
) -> tuple[Found, Built]:
    """What a form page is about and what it shows of it, as `(found, build(found))`.
    Showing the form (GET) reads through `get`: the policy's `get_..._for` given a build,
    so that the find, the build and the access-log entry are one transaction
    (lens.access.policy_reads). A POST only `find`s (the check that the actor may act;
    its write is logged by the actions layer) and builds what a refused form shows."""
    if request.method == "GET":
        return get(lambda found: (found, build(found)))
    found = find()
    return found, build(found)


def status(request: HttpRequest) -> int:
    """A form page: 200 when shown, 400 when shown again after a POST that wrote nothing."""
    return 200 if request.method == "GET" else 400


def written(write: Callable[[], object], *forms: PageForm) -> bool:
    """Whether the forms are valid and `write` (a call into the actions layer) went
    through. When the actions layer refuses, its error goes onto the forms. (For a form
    that must not write twice when sent twice, `written_once`.)"""
    if not all(form.is_valid() for form in forms):
        return False
    try:
        write()
    except ValidationError as error:
        apply_error(error, *forms)
        return False
    return True


def written_once(
    request: HttpRequest, actor: Actor, write: Callable[[], object], *forms: PageForm
) -> submissions.Outcome | None:
    """Whether the forms are valid and `write` (a call into the actions layer) went
    through, once per submission key: the outcome (replayed when the same form was sent
    before), or None. When the actions layer refuses, its error goes onto the forms."""
    if not all(form.is_valid() for form in forms):
        return None

    def result() -> dict:
        written = write()
        return written if isinstance(written, dict) else {}

    content = submissions.form_content(request.POST.lists())
    try:
        return submissions.once(
            actor,
            submission_key(request),
            submissions.fingerprint("POST", request.path, content),
            result,
        )
    except ValidationError as error:
        apply_error(error, *forms)
    except submissions.KeyReused:
        forms[0].add_error(
            None, _("This form was sent already. Open the form again to register something new.")
        )
        request.new_submission_key = True  # the page shows a new form: a new key
    return None


def apply_error(error: ValidationError, *forms: PageForm) -> None:
    """Put an actions-layer error on the form that has the field (else the first form)."""
    if not hasattr(error, "error_dict"):
        forms[0].apply(error)
        return
    for field, errors in error.error_dict.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        target.apply(ValidationError({field: errors}))


def at_fields(error: ValidationError) -> ValidationError:
    """An actions-layer error whose fields carry the part of the input they belong to
    ("identity.birth_date", "registration.observed_on") keyed by the plain field names,
    as the forms of a page name them."""
    if not hasattr(error, "error_dict"):
        return error
    fields: dict[str, list] = {}
    for name, errors in error.error_dict.items():
        fields.setdefault(name.rsplit(".", 1)[-1], []).extend(errors)
    return ValidationError(fields)


def errors(*forms: PageForm) -> list[dict[str, str]]:
    """The error summary: each message with the id of the field it belongs to."""
    summary = []
    for form in forms:
        for message in form.non_field_errors():
            summary.append({"message": message, "target": ""})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            summary += [summary_line(form[name], message) for message in errors]
    return summary


# Fields shown as a group of boxes or radios: a summary line points at the first one.
GROUPED_FIELDS = ("signals", "risk_factors", "how_learned", "informed", "who", "name_match")


def summary_line(bound, message: str) -> dict[str, str]:
    """One line of the error summary: the field's label and the message, with the id of
    the field (of its first box or radio for a group) to jump to."""
    grouped = bound.name in GROUPED_FIELDS
    target = f"{bound.auto_id}_0" if grouped else bound.auto_id
    return {"message": f"{bound.label}: {message}", "target": target}


def level_labels(ruleset: Ruleset, language: str) -> dict[int, str]:
    return {level.number: level.label.get(language) for level in ruleset.levels}
