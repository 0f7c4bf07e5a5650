"""Login forms. The templates render the fields by hand (NL Design System classes); the
forms only validate. Error messages never say whether a username exists.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^[0-9]{6,8}$")


class PasswordForm(forms.Form):
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        error_messages={"required": _("Enter your username.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        error_messages={"required": _("Enter your password.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )

    def clean_code(self) -> str:
        # Apps show the code as "123 456"; people paste it with spaces.
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not CODE_RE.match(code):
            raise forms.ValidationError(
                _("Enter the 6 digits from your authenticator app."), code="format"
            )
        return code


class ChooseMembershipForm(forms.Form):
    membership = forms.TypedChoiceField(
        label=_("Role"),
        coerce=int,
        error_messages={
            "required": _("Choose the role you want to work in."),
            "invalid_choice": _("Choose one of your roles."),
        },
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in memberships}
        self.fields["membership"].choices = [(pk, str(m)) for pk, m in self.memberships.items()]

    def clean_membership(self):
        return self.memberships[self.cleaned_data["membership"]]
