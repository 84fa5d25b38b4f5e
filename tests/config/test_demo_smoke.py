"""The demo configuration (`make demo`: config.settings.dev, SQLite, no Redis, no
Elasticsearch) on a temporary database: migrate, load the demo seed, and the pages work —
home, a référentiel page, the database search fallback, the Delphi results on SQLite, the
radiology pilot's edition 1.0 and its journal."""

import json
import os
import subprocess
import sys

from tests.config.test_settings import CLEAN_KEYS, ROOT

REQUESTS = """
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from consensus.models import Study
from wiki.models import ReferentielPage

client = Client()
out = {}
out["home"] = client.get("/").status_code
page = ReferentielPage.objects.live().order_by("path").first()
out["page"] = client.get(page.url).status_code
search = client.get("/api/search/", {"q": "donnees personnelles"}).json()
out["search_backend"] = search["backend"]
out["search_codes"] = [r.get("code") for r in search["results"]]
client.force_login(get_user_model().objects.get(username="animateur.delphi"))
study = Study.objects.order_by("pk").first()
results = client.get(f"/consensus/etudes/{study.pk}/resultats/")
out["results"] = results.status_code
out["results_has_median"] = "édiane" in results.content.decode()
client.logout()
edition = client.get("/referentiels/radiologie-3e-cycle/v1.0/")
out["edition"] = edition.status_code
journal = client.get("/referentiels/radiologie-3e-cycle/v1.0/journal/").content.decode()
out["journal_has_votes"] = "Rejeter" in journal and "Approuver" in journal
general = ReferentielPage.objects.get(slug="medecine-generale-3e-cycle")
out["general_medicine"] = [general.phase, Study.objects.filter(
    referentiel=general, rounds__status="open").exists()]
print(json.dumps(out))
"""


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def test_the_demo_configuration_serves_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_KEYS}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "--noinput", "-v", "0"], env)  # the steps of `make demo`
    _run([*manage, "load_initial_data"], env)
    loaded = _run([*manage, "load_demo_study"], env)
    assert (
        "radiologie-3e-cycle — 1.0" in loaded and "medecine-generale-3e-cycle — phase 2" in loaded
    )
    _run([*manage, "load_demo_study"], env)  # idempotent: a second run changes nothing
    out = json.loads(_run([sys.executable, "-c", REQUESTS], env).strip().splitlines()[-1])
    assert out["home"] == 200 and out["page"] == 200
    assert out["search_backend"] == "database"
    assert "SOCLE-D1-C02" in out["search_codes"]  # « donnée à caractère personnel », folded
    assert out["results"] == 200 and out["results_has_median"]
    # The radiology pilot went through its whole cycle; general medicine is in phase 2.
    assert out["edition"] == 200 and out["journal_has_votes"]
    assert out["general_medicine"] == [2, True]
