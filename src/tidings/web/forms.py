"""Forms of the web UI."""

from __future__ import annotations

from django import forms


class AddSourceForm(forms.Form):
    url = forms.CharField(
        label="Feed or page address",
        max_length=2048,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/feed.xml", "autocomplete": "url"}),
    )
    name = forms.CharField(label="Name (optional)", max_length=200, required=False)
