"""Staff's report queue: one row per report, with how many open reports its target has; the
decision (take down or dismiss) is for the target, covering all its open reports at once."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ModerationActions
from reports import services
from reports.models import Report


def _open_on_target():
    same = Report.objects.filter(
        target_type=OuterRef("target_type"), target_id=OuterRef("target_id"), status="open"
    )
    counted = same.values("target_type").annotate(n=Count("pk")).values("n")
    return Subquery(counted, output_field=IntegerField())


class TargetChangeList(ChangeList):
    """The page's reports, each told the reasons given in its target's open reports (one
    query for the page)."""

    def get_results(self, request):
        super().get_results(request)
        targets = {(r.target_type, r.target_id) for r in self.result_list}
        reasons: dict[tuple, set[str]] = {}
        open_ = Report.objects.filter(status=Report.Status.OPEN,
                                      target_id__in={pk for _, pk in targets})  # fmt: skip
        for kind, pk, reason in open_.values_list("target_type", "target_id", "reason"):
            if (kind, pk) in targets:
                reasons.setdefault((kind, pk), set()).add(reason)
        for report in self.result_list:
            given = reasons.get((report.target_type, report.target_id), set())
            # in words, in the order of WeChat's vocabulary
            report.reasons_on_target = [str(label) for value, label in Report.Reason.choices
                                        if value in given]  # fmt: skip


@admin.register(Report)
class ReportAdmin(ModerationActions, admin.ModelAdmin):
    list_display = ["id", "target", "reason", "reports_on_target", "target_reasons",
                    "reporter", "status", "created_at"]  # fmt: skip
    list_filter = ["status", "target_type", "reason"]
    list_select_related = ["reporter"]
    search_fields = ["target_id", "reporter__openid", "detail"]
    ordering = ["status", "target_type", "target_id", "-created_at"]
    fields = ["target", "reason", "detail", "reporter", "status", "resolution", "created_at",
              "resolved_at", "resolved_by", "auto_hidden"]  # fmt: skip
    readonly_fields = fields
    actions = ["take_down", "dismiss"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(on_target=_open_on_target())

    def has_add_permission(self, request):
        return False  # reports come from users

    def has_delete_permission(self, request, obj=None):
        return False  # kept: the reporter reads the decision

    @admin.display(description=_("Target"))
    def target(self, report):
        return f"{report.get_target_type_display()} {report.target_id}"

    @admin.display(description=_("Open reports on the target"), ordering="on_target")
    def reports_on_target(self, report):
        return report.on_target or 0

    @admin.display(description=_("Reasons given for the target"))
    def target_reasons(self, report):
        return "、".join(getattr(report, "reasons_on_target", [])) or "-"

    def get_changelist(self, request, **kwargs):
        return TargetChangeList

    @admin.action(permissions=["moderate"],
                  description=_("Take down the targets (uphold their open reports)"))  # fmt: skip
    def take_down(self, request, queryset):
        self._decide(request, queryset, uphold=True)

    @admin.action(permissions=["moderate"],
                  description=_("Dismiss the open reports of these targets"))  # fmt: skip
    def dismiss(self, request, queryset):
        self._decide(request, queryset, uphold=False)

    def _decide(self, request, queryset, *, uphold: bool):
        targets = set(queryset.values_list("target_type", "target_id"))
        resolved = sum(
            services.reports_resolve(target_type=kind, target_id=pk, actor=request.user,
                                     uphold=uphold,
                                     resolution="Taken down." if uphold else "No rule broken.")
            for kind, pk in targets
        )  # fmt: skip
        text = (ngettext("Took down %(n)d target (%(reports)d reports).",
                         "Took down %(n)d targets (%(reports)d reports).", len(targets))
                if uphold else
                ngettext("Dismissed the reports of %(n)d target (%(reports)d reports).",
                         "Dismissed the reports of %(n)d targets (%(reports)d reports).",
                         len(targets)))  # fmt: skip
        self.message_user(request, text % {"n": len(targets), "reports": resolved},
                          messages.SUCCESS)  # fmt: skip
