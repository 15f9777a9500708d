"""An index over editors' "not in this category" links, which every category membership check reads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="articlecategory",
            index=models.Index(
                condition=models.Q(("origin", "editor"), ("score__lte", 0)),
                fields=["article", "category"],
                name="article_category_rejections",
            ),
        ),
    ]
