from django.urls import path

from consensus.views import amendments, exports, facilitator, invitations, lifecycle, panelist

app_name = "consensus"

urlpatterns = [
    path("", facilitator.home, name="home"),
    path("etudes/nouvelle/", facilitator.study_create, name="study-create"),
    path("etudes/<int:pk>/", facilitator.study_detail, name="study-detail"),
    path("etudes/<int:pk>/tours/ouvrir/", facilitator.round_open, name="round-open"),
    path("etudes/<int:pk>/resultats/", facilitator.results, name="results"),
    path("etudes/<int:pk>/decisions/", facilitator.decision_list, name="decisions"),
    path("etudes/<int:pk>/export.csv", exports.ratings_csv, name="export-csv"),
    path("etudes/<int:pk>/commentaires.csv", exports.comments_csv, name="export-comments-csv"),
    path("etudes/<int:pk>/export.xlsx", exports.ratings_xlsx, name="export-xlsx"),
    path("etudes/<int:pk>/rapport/", exports.methods_report, name="report"),
    path("etudes/<int:pk>/rapport.pdf", exports.methods_report_pdf, name="report-pdf"),
    path("etudes/<int:pk>/rapport.docx", exports.methods_report_docx, name="report-docx"),
    path("etudes/<int:pk>/rapport/textes/", facilitator.report_texts_edit, name="report-texts"),
    path("etudes/<int:pk>/invitations/", invitations.invitations_send, name="invitations-send"),
    path("tours/<int:pk>/clore/", facilitator.round_close, name="round-close"),
    path("tours/<int:pk>/relances/", invitations.reminders_send, name="reminders-send"),
    path("connexion/<str:token>/", invitations.signin_link, name="signin-link"),
    path("tours/<int:pk>/bulletin/", panelist.ballot, name="ballot"),
    path("items/<int:pk>/reformuler/", facilitator.item_reword, name="item-reword"),
    path("referentiels/<int:pk>/cycle/", lifecycle.lifecycle_detail, name="lifecycle"),
    path("referentiels/<int:pk>/cycle/porte/", lifecycle.gate_pass, name="lifecycle-gate"),
    path("referentiels/<int:pk>/cycle/vote/", lifecycle.vote, name="lifecycle-vote"),
    path(
        "referentiels/<int:pk>/cycle/referent/", lifecycle.referent_name, name="lifecycle-referent"
    ),
    path(
        "referentiels/<int:pk>/cycle/appliquer/",
        lifecycle.decisions_apply,
        name="lifecycle-apply",
    ),
    path("referentiels/<int:pk>/cycle/reprendre/", lifecycle.resume, name="lifecycle-resume"),
    path(
        "amendements/<slug:slug>/v<str:version>/<str:code>/proposer/",
        amendments.amendment_propose,
        name="amendment-propose",
    ),
    path("amendements/<int:pk>/", amendments.amendment_detail, name="amendment-detail"),
    path("amendements/<int:pk>/decision/", amendments.amendment_decide, name="amendment-decide"),
    path("amendements/<int:pk>/etude/", amendments.amendment_study_open, name="amendment-study"),
    path("referentiels/<int:pk>/amendements/", amendments.amendment_list, name="amendment-list"),
    path(
        "referentiels/<int:pk>/amendements/publier/",
        amendments.amendments_publish,
        name="amendment-publish",
    ),
]
