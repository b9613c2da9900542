# The generations whose kept renders are an earlier generation's (cables.web.version_render.Carry)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('web', '0002_version_render'),
    ]

    operations = [
        migrations.CreateModel(
            name='CarriedGeneration',
            fields=[
                ('generation', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('renders_of', models.CharField(max_length=64)),
            ],
        ),
    ]
