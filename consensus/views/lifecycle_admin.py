"""The Wagtail admin's views of a référentiel page, where the lifecycle's refusals come back
to the page with their French reason (Wagtail's messages) instead of Wagtail's generic
« permission denied » on the admin's home page.

Wagtail routes its page views through a viewset per page type (``PageViewSet``); the
référentiel's viewset (registered in ``consensus.wagtail_hooks``) swaps in these three:
- the workflow-action view (the dashboard's and the page header's buttons) and the view that
  collects a vote's data in a modal: an action the lifecycle refuses (a gate whose conditions
  do not hold, a second vote, a vote by a non-member, a step already left, « approve » on a
  vote) is refused before anything runs, with its reason, back on the page's edit view;
- the page editor, whose workflow actions (the action menu) would otherwise say « saved » and
  leave for the explorer: the refusal is said, and the editor comes back to the page (the
  content typed is saved as a draft, as Wagtail does before acting).
The services check again when they act: a refusal there (a race) is reported the same way.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from consensus.exceptions import ConsensusError
from consensus.services import lifecycle


def _is_xhr(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


class _LifecycleRefusalMixin:
    """For the workflow-action views: the lifecycle's refusal, said on the page."""

    def _refused(self, request, refusal: str) -> HttpResponse:
        messages.error(request, refusal)
        if _is_xhr(request):
            # Wagtail's modal follows « redirect » on success: the message waits there.
            data = {"step": "success", "redirect": self.redirect_url}
            return self.render_modal_json(request, data)
        return redirect(self.redirect_url)

    def dispatch(self, request, *args, **kwargs):
        if self.object.workflow_in_progress:
            refusal = lifecycle.admin_action_refusal(
                user=request.user, task_state=self.task_state, action_name=self.action_name
            )
            if refusal is not None:
                return self._refused(request, refusal)
        try:
            return super().dispatch(request, *args, **kwargs)
        except ConsensusError as error:
            return self._refused(request, str(error))


class ReferentielWorkflowActionView(_LifecycleRefusalMixin, WorkflowActionView):
    pass


class ReferentielCollectWorkflowActionDataView(
    _LifecycleRefusalMixin, CollectWorkflowActionDataView
):
    pass


class ReferentielEditView(EditView):
    def workflow_action_is_valid(self) -> bool:
        valid = super().workflow_action_is_valid()
        task_state = self.page.current_workflow_task_state
        if not valid and task_state is not None:
            # Wagtail would save the page and say nothing of the action.
            refusal = lifecycle.admin_action_refusal(
                user=self.request.user,
                task_state=task_state,
                action_name=self.request.POST.get("workflow-action-name", ""),
            )
            if refusal is not None:
                messages.error(self.request, refusal)
        return valid

    def perform_workflow_action(self):
        try:
            return super().perform_workflow_action()
        except ConsensusError as error:
            messages.error(self.request, str(error))
            return redirect("wagtailadmin_pages:edit", self.page.pk)


class ReferentielPageViewSet(PageViewSet):
    workflow_action_view_class = ReferentielWorkflowActionView
    collect_workflow_action_data_view_class = ReferentielCollectWorkflowActionDataView
    edit_view_class = ReferentielEditView
