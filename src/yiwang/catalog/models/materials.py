"""Material requirements (DOMAIN §3.5): what an applicant brings, or what the city already holds."""

from __future__ import annotations

from django.db import models

from yiwang.catalog.models.codes import MaterialForm, MaterialNecessity, MaterialSource
from yiwang.catalog.models.items import ServiceItemVersion


class MaterialRequirement(models.Model):
    version = models.ForeignKey(
        ServiceItemVersion, on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("材料名称", max_length=200)
    original_or_copy = models.CharField(
        "原件/复印件",
        max_length=10,
        choices=[("original", "原件"), ("copy", "复印件"), ("both", "原件和复印件")],
        default="original",
    )
    form = models.CharField(
        "材料形式", max_length=12, choices=MaterialForm.choices, default=MaterialForm.BOTH
    )
    paper_spec = models.CharField("纸质规格", max_length=50, blank=True)
    originals = models.PositiveSmallIntegerField("原件份数", default=1)
    copies = models.PositiveSmallIntegerField("复印件份数", default=0)
    necessity = models.CharField(
        "材料必要性",
        max_length=12,
        choices=MaterialNecessity.choices,
        default=MaterialNecessity.REQUIRED,
    )
    source = models.CharField(
        "来源渠道", max_length=12, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    issuing_body = models.CharField("出具单位", max_length=100, blank=True)
    blank_form = models.FileField("空白表格", upload_to="catalog/forms/", blank=True)
    sample = models.FileField("示例样表", upload_to="catalog/samples/", blank=True)
    instructions = models.TextField("填报须知", blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    basis = models.CharField("设定依据", max_length=300, blank=True)
    situations = models.CharField("适用情形", max_length=300, blank=True)
    accepted_licence_types = models.JSONField(
        "可替代的电子证照类型",
        default=list,
        blank=True,
        help_text="持有其中任一有效电子证照的，无需上传本材料",
    )
    data_share_source = models.CharField(
        "共享数据来源",
        max_length=100,
        blank=True,
        help_text="可通过数据共享获取的，不得要求申请人提供（国务院令第716号第七条）",
    )

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "order", "pk"]

    def __str__(self) -> str:
        return self.name
