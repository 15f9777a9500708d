"""Sign-up and sign-in forms (Django's auth forms with friendlier labels) and the API token name."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class SignUpForm(UserCreationForm):
    """Username and password twice; Django's password validators apply."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class SignInForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})


class TokenNameForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        initial="API client",
        help_text="To tell your tokens apart, e.g. the program or device that uses it.",
    )
