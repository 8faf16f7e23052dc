from django.urls import path

from exitentry.appointments.confirmation import CHECK_IN_PATH
from exitentry.web import (
    account_views,
    alert_views,
    api_key_views,
    applicant_views,
    apply_views,
    booking_views,
    case_pages,
    console_permit_views,
    console_person_views,
    enforcement_views,
    hallday_views,
    institution_views,
    lookup_views,
    notice_views,
    officer_views,
    override_views,
    permit_views,
    reminder_views,
    second_factor_views,
    share_code_views,
    signup_views,
    supervisor_views,
    unit_handler_views,
    unit_report_views,
    unit_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("halls/", views.halls, name="halls"),
    path("visas/", views.visas, name="visas"),
    path("sources/", views.sources, name="sources"),
    path("halls/<slug:hall_id>/queue/", hallday_views.queue_screen, name="hall_queue"),
    path("guide/<slug:procedure_id>/", views.guide, name="guide"),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/<int:notice_id>/", notice_views.notice, name="notice"),
    path("advisor/<slug:procedure_id>/", views.advisor, name="advisor"),
    # signing in and out
    path("sign-in/", account_views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", account_views.SignOutView.as_view(), name="sign_out"),
    path("sign-up/", signup_views.sign_up, name="sign_up"),
    path("sign-up/sent/", signup_views.sent, name="sign_up_sent"),
    path("sign-up/again/", signup_views.again, name="sign_up_again"),
    path("sign-up/confirm/<str:token>/", signup_views.confirm, name="sign_up_confirm"),
    path("account/", account_views.account, name="account"),
    path("account/api-keys/", api_key_views.keys, name="api_keys"),
    path("account/api-keys/<int:key_id>/revoke/", api_key_views.revoke, name="api_key_revoke"),
    path("second-factor/", second_factor_views.verify, name="second_factor"),
    path("second-factor/enrol/", second_factor_views.enrol, name="second_factor_enrol"),
    path("second-factor/backup-codes/", second_factor_views.backup_codes, name="backup_codes"),
    # the applicant's side
    path("apply/<slug:procedure_id>/", apply_views.apply, name="apply"),
    path("my/", applicant_views.my_cases, name="my_cases"),
    path("my/details/", signup_views.my_details, name="my_details"),
    path("my/<int:case_id>/", applicant_views.my_case, name="my_case"),
    path("my/<int:case_id>/upload/", applicant_views.upload, name="my_upload"),
    path("my/<int:case_id>/answers/", applicant_views.answer, name="my_answer"),
    path("my/<int:case_id>/submit/", applicant_views.submit, name="my_submit"),
    path("my/<int:case_id>/resubmit/", applicant_views.resubmit, name="my_resubmit"),
    path("my/<int:case_id>/withdraw/", applicant_views.withdraw, name="my_withdraw"),
    path("my/<int:case_id>/booking/", booking_views.booking, name="my_booking"),
    path("my/bookings/", booking_views.my_bookings, name="my_bookings"),
    path("my/permits/", permit_views.my_permits, name="my_permits"),
    path("my/permits/<int:permit_id>/", permit_views.permit_detail, name="permit_detail"),
    path(
        "my/permits/<int:permit_id>/change-report/", permit_views.report_change, name="permit_change_report"
    ),
    path(
        "my/permits/<int:permit_id>/change-reports/<int:report_id>/receipt.pdf",
        permit_views.change_receipt_pdf,
        name="permit_change_receipt",
    ),
    path("my/people/<int:person_id>/permits/", permit_views.person_permits, name="person_permits"),
    path("my/reminders/", reminder_views.my_reminders, name="my_reminders"),
    path("my/share-codes/", share_code_views.my_share_codes, name="my_share_codes"),
    path("my/share-codes/<int:code_id>/revoke/", share_code_views.revoke, name="my_share_code_revoke"),
    path("my/reminders/read/", reminder_views.read_all, name="my_reminders_read"),
    path("my/reminders/<int:reminder_id>/read/", reminder_views.read, name="my_reminder_read"),
    path("my/bookings/<str:reference>/", booking_views.booking_confirmation, name="my_booking_confirmation"),
    path("my/bookings/<str:reference>/confirmation.pdf", booking_views.booking_pdf, name="my_booking_pdf"),
    path("my/bookings/<str:reference>/qr.svg", booking_views.booking_qr, name="my_booking_qr"),
    path("my/bookings/<str:reference>/cancel/", booking_views.cancel, name="my_booking_cancel"),
    # the officers' console
    path("console/", officer_views.queue, name="queue"),
    path("console/cases/<int:case_id>/", officer_views.hall_case, name="hall_case"),
    path(
        "console/people/<int:person_id>/enforcement/",
        enforcement_views.person_records,
        name="person_enforcement",
    ),
    path(
        "console/people/<int:person_id>/enforcement/<slug:action>/",
        enforcement_views.act,
        name="person_enforcement_act",
    ),
    path("console/cases/<int:case_id>/<slug:action>/", officer_views.act, name="hall_act"),
    path(
        "console/materials/<int:material_id>/review/", officer_views.review_material, name="review_material"
    ),
    path("console/tasks/<int:task_id>/close/", officer_views.close_task, name="close_task"),
    # the QR code's address, without a language (``confirmation.CHECK_IN_PATH``): defined there only
    path(CHECK_IN_PATH.lstrip("/"), hallday_views.check_in_link, name="check_in_link"),
    path("console/hall/<slug:hall_id>/day/", hallday_views.day_board, name="hall_day"),
    path("console/hall/<slug:hall_id>/day/live/", hallday_views.day_board_live, name="hall_day_live"),
    path("console/hall/<slug:hall_id>/day/check-in/", hallday_views.check_in, name="hall_check_in"),
    path("console/hall/<slug:hall_id>/day/walk-in/", hallday_views.walk_in, name="hall_walk_in"),
    path("console/hall/<slug:hall_id>/day/call-next/", hallday_views.call_next, name="hall_call_next"),
    path("console/tickets/<int:ticket_id>/served/", hallday_views.served, name="ticket_served"),
    path(
        "console/tickets/<int:ticket_id>/not-answered/",
        hallday_views.not_answered,
        name="ticket_not_answered",
    ),
    path("console/health/", supervisor_views.queue_health, name="queue_health"),
    path("console/health/<slug:chart>.svg", supervisor_views.chart_svg, name="queue_health_chart"),
    path("console/alerts/", alert_views.alerts, name="alerts"),
    path("console/alerts/<int:alert_id>/act/", console_person_views.act_on_alert, name="alert_act"),
    path("console/people/<int:person_id>/", console_person_views.person, name="console_person"),
    path("console/lookup/", lookup_views.lookup, name="person_lookup"),
    path("console/permits/<int:permit_id>/", console_permit_views.permit, name="console_permit"),
    path(
        "console/permits/<int:permit_id>/notice/", console_permit_views.publish_notice, name="permit_notice"
    ),
    path(
        "console/permits/<int:permit_id>/change-report/",
        console_permit_views.report_change,
        name="console_permit_change_report",
    ),
    path(
        "console/permits/<int:permit_id>/change-reports/<int:report_id>/receipt.pdf",
        console_permit_views.change_receipt_pdf,
        name="console_permit_change_receipt",
    ),
    path(
        "console/permits/<int:permit_id>/unit-reports/<int:report_id>/receipt.pdf",
        console_permit_views.unit_receipt_pdf,
        name="console_permit_unit_receipt",
    ),
    path("console/permits/<int:permit_id>/<slug:ending>/", console_permit_views.end, name="permit_end"),
    path("console/hall-days/", override_views.hall_days, name="hall_days"),
    path("console/hall-days/<int:override_id>/withdraw/", override_views.withdraw, name="hall_day_withdraw"),
    # the unit's portal (employers, schools)
    path("unit/", unit_views.people, name="unit_people"),
    path("unit/people.<slug:fmt>", unit_views.download, name="unit_people_download"),
    path("unit/people/<int:person_id>/", unit_views.person, name="unit_person"),
    path("unit/handlers/", unit_handler_views.handlers, name="unit_handlers"),
    path("unit/handlers/<int:user_id>/remove/", unit_handler_views.remove, name="unit_handler_remove"),
    path("unit/handlers/<int:user_id>/admin/", unit_handler_views.set_admin, name="unit_handler_admin"),
    path(
        "unit/invitations/<int:invitation_id>/withdraw/",
        unit_handler_views.withdraw,
        name="unit_invitation_withdraw",
    ),
    path("unit/join/<str:token>/", unit_handler_views.join, name="unit_join"),
    # an institution's verification desk
    path("institution/", institution_views.desk, name="institution"),
    path("institution/status/code/", institution_views.check_code, name="institution_check_code"),
    path("institution/status/document/", institution_views.check_document, name="institution_check_document"),
    # a stored file, to either side, through the policy
    path("materials/<int:material_id>/", case_pages.material_file, name="material_file"),
]

# a unit's reports under Regulations Art. 26 (its staff pages at /unit/ are the portal's)
urlpatterns += [
    path("unit/reports/", unit_report_views.reports, name="unit_reports"),
    path("unit/reports/new/", unit_report_views.new, name="unit_report_new"),
    path("unit/reports/upload/", unit_report_views.upload, name="unit_report_upload"),
    path("unit/reports/upload/template.csv", unit_report_views.upload_template, name="unit_report_template"),
    path("unit/reports/<int:report_id>/", unit_report_views.report, name="unit_report"),
    path("unit/reports/<int:report_id>/receipt.pdf", unit_report_views.receipt_pdf, name="unit_report_pdf"),
]
