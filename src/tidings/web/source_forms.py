"""Forms for changing sources on the web: one source's full-text setting, an OPML file to import."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from tidings.sources.models import FullTextMode
from tidings.sources.opml import MAX_OPML_BYTES


class FullTextForm(forms.Form):
    full_text = forms.ChoiceField(
        label="Fetch article pages",
        choices=[(FullTextMode.AUTO, "Automatic"), (FullTextMode.ALWAYS, "Always"), (FullTextMode.NEVER, "Never")],
        widget=forms.Select(attrs={"class": "full-width"}),  # no style attribute: the CSP allows none
        help_text="Automatic fetches them when the feed carries only summaries; Always fetches the page of every "
        "new item; Never keeps what the feed carries.",
    )


class OpmlUploadForm(forms.Form):
    file = forms.FileField(
        label="OPML file",
        widget=forms.ClearableFileInput(attrs={"accept": ".opml,.xml,text/x-opml,text/xml,application/xml"}),
        help_text=f"A subscription list exported from another reader; at most {MAX_OPML_BYTES // (1024 * 1024)} MB.",
        error_messages={
            "required": "Choose an OPML file to import.",
            "empty": "The file is empty.",
            "invalid": "This is not a file upload; choose an OPML file.",
        },
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_OPML_BYTES:
            size = upload.size / (1024 * 1024)
            raise forms.ValidationError(
                f"The file is {size:.1f} MB; the limit for an OPML file is {MAX_OPML_BYTES // (1024 * 1024)} MB."
            )
        return upload
