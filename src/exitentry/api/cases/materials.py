"""Materials: a file uploaded for one required item, and the hall's review of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Status
from ninja.files import UploadedFile

from exitentry.accounts.audit import Actor
from exitentry.api.cases import reading
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import CaseOut, MaterialReceivedOut, MaterialReviewIn
from exitentry.api.routing import described
from exitentry.cases import services
from exitentry.cases.models import Case, Material


@router.post(
    "/cases/{case_id}/materials",
    response={201: MaterialReceivedOut},
    description=described(
        _("the applicant's side while the case takes materials, or an officer of the hall at the counter."),
        _(
            "Uploads one material (`material_id`: one of the procedure's materials) as PDF, JPEG or PNG in a"
            " multipart/form-data body, marked `translated` where it is a translation. Answers its SHA-256 and size. A"
            " file of another type, or past the size limit, is refused."
        ),
    ),
    summary=_("Upload a material (PDF, JPEG, PNG)"),
)
@takes(("upload", "review_materials"))  # the applicant's side, or the hall at the counter
def upload(
    request, case: Case, material_id: Form[str], file: File[UploadedFile], translated: Form[bool] = False
):
    m = services.upload_material(Actor.of(request), case, material_id, file, translated=translated)
    return Status(201, {"id": m.pk, "material_id": m.material_id, "sha256": m.sha256, "size": m.size})


@router.patch(
    "/materials/{material_id}",
    response=CaseOut,
    by_alias=True,
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Marks an uploaded material defective (why, in English and Chinese) or clears it, and records that the hall"
            " saw its original."
        ),
    ),
    summary=_("Mark a material defective or its original seen"),
)
@takes("review_materials", via=(Material, "material"))
def review_material(request, material: Material, payload: MaterialReviewIn):
    services.mark_material(
        Actor.of(request),
        material,
        defect=payload.defect,
        defect_zh=payload.defect_zh,
        original_seen=payload.original_seen,
    )
    return reading.answer(request, material.case)
