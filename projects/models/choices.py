"""Vocabularies shared by several records: districts, innovation poles, industrial chains."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pole(models.TextChoices):
    """Chongqing's four innovation poles."""

    DIGITAL = "digital", _("digital and intelligent technology")
    HEALTH = "health", _("life and health")
    MATERIALS = "materials", _("new materials")
    LOW_CARBON = "low_carbon", _("green and low-carbon")


class District(models.TextChoices):
    """Chongqing's districts and counties by GB/T 2260 administrative division code."""

    WANZHOU = "500101", _("Wanzhou")
    FULING = "500102", _("Fuling")
    YUZHONG = "500103", _("Yuzhong")
    DADUKOU = "500104", _("Dadukou")
    JIANGBEI = "500105", _("Jiangbei")
    SHAPINGBA = "500106", _("Shapingba")
    JIULONGPO = "500107", _("Jiulongpo")
    NANAN = "500108", _("Nan'an")
    BEIBEI = "500109", _("Beibei")
    QIJIANG = "500110", _("Qijiang")
    DAZU = "500111", _("Dazu")
    YUBEI = "500112", _("Yubei")
    BANAN = "500113", _("Banan")
    QIANJIANG = "500114", _("Qianjiang")
    CHANGSHOU = "500115", _("Changshou")
    JIANGJIN = "500116", _("Jiangjin")
    HECHUAN = "500117", _("Hechuan")
    YONGCHUAN = "500118", _("Yongchuan")
    NANCHUAN = "500119", _("Nanchuan")
    BISHAN = "500120", _("Bishan")
    TONGLIANG = "500151", _("Tongliang")
    TONGNAN = "500152", _("Tongnan")
    RONGCHANG = "500153", _("Rongchang")
    KAIZHOU = "500154", _("Kaizhou")
    LIANGPING = "500155", _("Liangping")
    WULONG = "500156", _("Wulong")
    CHENGKOU = "500229", _("Chengkou")
    FENGDU = "500230", _("Fengdu")
    DIANJIANG = "500231", _("Dianjiang")
    ZHONGXIAN = "500233", _("Zhongxian")
    YUNYANG = "500235", _("Yunyang")
    FENGJIE = "500236", _("Fengjie")
    WUSHAN = "500237", _("Wushan")
    WUXI = "500238", _("Wuxi")
    SHIZHU = "500240", _("Shizhu")
    XIUSHAN = "500241", _("Xiushan")
    YOUYANG = "500242", _("Youyang")
    PENGSHUI = "500243", _("Pengshui")


class IndustrialChain(models.TextChoices):
    """Industrial chains of the city's manufacturing cluster plan."""

    NEV = "intelligent_connected_nev", _("intelligent connected new-energy vehicles")
    ELECTRONICS = "electronic_information", _("new-generation electronic information manufacturing")
    ADVANCED_MATERIALS = "advanced_materials", _("advanced materials")
    EQUIPMENT = "intelligent_equipment", _("intelligent equipment and manufacturing")
    FOOD = "food_agricultural", _("food and agricultural products processing")
    SOFTWARE = "software_services", _("software and information services")
    DISPLAYS = "new_displays", _("new displays")
    MOTORCYCLES = "high_end_motorcycles", _("high-end motorcycles")
    LIGHT_ALLOYS = "light_alloys", _("light alloys")
    BIOMEDICINE = "biomedicine", _("biomedicine")
    ENERGY_STORAGE = "new_energy_storage", _("new energy and energy storage")
