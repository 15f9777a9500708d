"""Admin actions and forms for editors' topic changes; each one calls taxonomy/editing.py.

On the topic list: tick topics, fill in the fields beside the action menu, run the action.
- "Merge selected topics into the topic in 'into topic'": every ticked topic folds into that one (aliases,
  article links and readers' follows move; the others are deleted).
- "Split the selected topic": the ticked topic's aliases named in "aliases" move to a new topic "new name".
The alias inline computes each alias key from its name and refuses a key another topic owns.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.lib.form_values import positive_id
from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.editing import merge_topics, split_topic
from tidings.taxonomy.models import Alias, Topic, TopicKind


class TopicActionForm(ActionForm):
    into = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        label="into topic",
        help_text="Merge: the topic to keep",
        widget=AutocompleteSelect(Topic._meta.get_field("parent"), admin.site),
    )
    new_name = forms.CharField(required=False, max_length=300, label="new name", help_text="Split: the new topic")
    kind = forms.ChoiceField(required=False, choices=[("", "same kind"), *TopicKind.choices])
    aliases = forms.CharField(required=False, max_length=2000, help_text="Split: aliases to move, comma-separated")


@admin.action(description="Merge selected topics into the topic in 'into topic'", permissions=["change"])
def merge_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
    into = positive_id(request.POST.get("into"))
    if into is None:
        modeladmin.message_user(request, "Choose the topic to keep in 'into topic'.", messages.ERROR)
        return
    try:
        survivor = merge_topics(list(queryset.values_list("pk", flat=True)), into)
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Merged into {survivor.name!r}; its aliases now include the merged names.")


@admin.action(description="Split the selected topic: move the aliases in 'aliases' to 'new name'", permissions=["add"])
def split_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
    topics = list(queryset[:2])
    if len(topics) != 1:
        modeladmin.message_user(request, "Tick exactly one topic to split.", messages.ERROR)
        return
    topic = topics[0]
    keys = {normalise(name) for name in str(request.POST.get("aliases", "")).split(",")} - {""}
    alias_ids = list(Alias.objects.filter(topic=topic, key__in=keys).values_list("pk", flat=True))
    if len(alias_ids) != len(keys):
        modeladmin.message_user(request, f"Name aliases of {topic.name!r} only, separated by commas.", messages.ERROR)
        return
    try:
        new = split_topic(
            topic.pk, alias_ids, str(request.POST.get("new_name", "")), str(request.POST.get("kind") or topic.kind)
        )
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Split {len(alias_ids)} alias(es) of {topic.name!r} into {new.name!r}.")


class AliasForm(forms.ModelForm):
    """An alias typed by an editor: its key is computed, and a key of another topic is refused."""

    class Meta:
        model = Alias
        fields = ("name",)

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name", "")).split())
        key = normalise(name)
        if not key:
            raise forms.ValidationError("An alias needs a name.")
        owner = Alias.objects.filter(key=key).exclude(pk=self.instance.pk).select_related("topic").first()
        topic_id = self.instance.topic_id if self.instance.topic_id else None
        if owner is not None and owner.topic_id != topic_id:
            raise forms.ValidationError(
                f"The alias {name!r} already belongs to the topic {owner.topic.name!r}; merge the two topics if "
                "they are the same."
            )
        return name

    def save(self, commit: bool = True) -> Alias:
        self.instance.key = normalise(self.cleaned_data["name"])[:300]
        return super().save(commit=commit)  # type: ignore[no-any-return]


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasForm
    extra = 1
    fields = ("name", "key")
    readonly_fields = ("key",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Alias]:
        return super().get_queryset(request).select_related("topic")  # each row's title names its topic
