from django.contrib import admin


class PortalAdminSite(admin.AdminSite):
    site_header = "ЛКК АО «ИЭК» — администрирование"
    site_title = "ЛКК АО «ИЭК»"
    index_title = "Управление порталом"
