"""The national dashboard, `/tableau-de-bord/`: public, thin (consensus.dashboard decides)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from consensus import dashboard
from wiki import visibility


def national_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan = dashboard.programme_plan()
    rows = dashboard.referentiels_progress(
        visibility.request_reader(request), user=request.user, today=today, plan=plan
    )
    context = {
        "plan": plan,
        "programme_start": settings.PROGRAMME_START,
        "today": today,
        "rows": rows,
        "late_count": sum(row.late for row in rows),
        "chart": dashboard.timeline_chart(plan, rows, today),
        "agenda": dashboard.committee_agenda(request.user, [row.referentiel for row in rows]),
    }
    return render(request, "consensus/national_dashboard.html", context)
