"""Sign-up and sign-in forms (Django's auth forms with friendlier labels) and the API token name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class SignUpForm(UserCreationForm):
    """Username, an optional e-mail address (where a password reset goes) and the password twice; Django's
    password validators apply. An address another account uses is refused, as on the account page."""

    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        help_text="Only to send you a link if you forget your password. You can add or change it later.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Another account uses that address.", code="email_taken")
        return email


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


class PasswordConfirmForm(forms.Form):
    """The account password, to confirm something that cannot be undone (delete, disable two-factor)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        """Checked through authenticate() when there is a request, so wrong passwords count for the sign-in
        throttle (axes answers 429 once the address or account is locked) as on the sign-in page."""
        password: str = self.cleaned_data["password"]
        if self.request is not None:
            checked = authenticate(self.request, username=self.user.get_username(), password=password)
            right = checked is not None and checked.pk == self.user.pk
        else:
            right = self.user.check_password(password)
        if not right:
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password


class EmailChangeForm(PasswordConfirmForm):
    """A new e-mail address (for password resets), confirmed with the password."""

    field_order = ["email", "password"]
    email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        required=False,
        help_text="Used only to send you a password reset link. Leave empty to remove it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        return email

    def clean(self) -> dict[str, Any]:
        """Whether another account uses the address is said only once the password is right: else any open
        session could test addresses for accounts (the password check is throttled, this one would not be)."""
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        others = get_user_model().objects.exclude(pk=self.user.pk)
        if email and "password" in cleaned and others.filter(email__iexact=email).exists():
            self.add_error("email", forms.ValidationError("Another account uses that address.", code="email_taken"))
        return cleaned


class CodeForm(forms.Form):
    """A code from the authenticator app or a recovery code (the sign-in's second step and enrolment)."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class EnrolCodeForm(CodeForm):
    """The code that turns two-factor on: only the app's code (recovery codes do not exist yet)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
