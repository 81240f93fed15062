"""The plugin object QGIS loads: it only registers the Processing provider."""

from qgis.core import QgsApplication

from .provider import UrbanScoreProvider


class UrbanScorePlugin:
    """Registers the ``urbanscore`` Processing provider (desktop and qgis_process alike)."""

    def __init__(self, iface):
        self._iface = iface
        self._provider = None

    def initProcessing(self):  # noqa: N802 (QGIS API)
        """Called by qgis_process and, through initGui, by the desktop."""
        if self._provider is None:
            self._provider = UrbanScoreProvider()
            QgsApplication.processingRegistry().addProvider(self._provider)

    def initGui(self):  # noqa: N802 (QGIS API)
        self.initProcessing()

    def unload(self):
        if self._provider is not None:
            QgsApplication.processingRegistry().removeProvider(self._provider)
            self._provider = None
