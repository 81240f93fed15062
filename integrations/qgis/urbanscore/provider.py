"""The ``urbanscore`` Processing provider: its setting and its algorithms."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon
from processing.core.ProcessingConfig import ProcessingConfig, Setting

from . import cli
from .plan_algorithm import PlanAlgorithm
from .score_algorithm import ScoreAlgorithm
from .stats_algorithm import StatsAlgorithm

_ICON = os.path.join(os.path.dirname(__file__), "icon.svg")


class UrbanScoreProvider(QgsProcessingProvider):
    """Algorithms urbanscore:score, urbanscore:plan and urbanscore:stats, each a run of the urbanscore tool."""

    def id(self):
        return "urbanscore"

    def name(self):
        return "UrbanScore"

    def longName(self):  # noqa: N802 (QGIS API)
        return "UrbanScore (city / not-city scores of web-map tiles)"

    def icon(self):
        return QIcon(_ICON)

    def svgIconPath(self):  # noqa: N802 (QGIS API)
        return _ICON

    def load(self):
        ProcessingConfig.settingIcons[self.name()] = self.icon()
        ProcessingConfig.addSetting(Setting(
            self.name(), cli.SETTING_EXECUTABLE, "UrbanScore executable", "", valuetype=Setting.FILE))
        ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        ProcessingConfig.removeSetting(cli.SETTING_EXECUTABLE)

    def loadAlgorithms(self):  # noqa: N802 (QGIS API)
        for algorithm in (ScoreAlgorithm(), PlanAlgorithm(), StatsAlgorithm()):
            self.addAlgorithm(algorithm)
