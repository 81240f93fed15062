"""urbanscore:plan — how many tiles, km² and how long scoring an extent would take, fetching nothing."""

import os

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterNumber,
    QgsProcessingUtils,
)

from .base_algorithm import UrbanScoreAlgorithm, first_number


class PlanAlgorithm(UrbanScoreAlgorithm):
    EXTENT = "EXTENT"
    ZOOM = "ZOOM"
    TILES = "TILES"
    KM2 = "KM2"
    ESTIMATE_SECONDS = "ESTIMATE_SECONDS"

    def name(self):
        return "plan"

    def displayName(self):  # noqa: N802 (QGIS API)
        return "Plan a run (tiles, km², time)"

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return ("Counts the tiles of the extent at the zoom level, its area in km² and the estimated time to score "
                "them, without fetching anything (urbanscore plan).")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, "Extent"))
        self.addParameter(QgsProcessingParameterNumber(
            self.ZOOM, "Zoom level", QgsProcessingParameterNumber.Integer, defaultValue=15, minValue=0, maxValue=24))
        self.addOutput(QgsProcessingOutputNumber(self.TILES, "Tiles"))
        self.addOutput(QgsProcessingOutputNumber(self.KM2, "Area (km²)"))
        self.addOutput(QgsProcessingOutputNumber(self.ESTIMATE_SECONDS, "Estimated time (s)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        location = self.locate_cli(feedback)
        area = self.write_extent(self.parameterAsExtent(parameters, self.EXTENT, context),
                                 self.parameterAsExtentCrs(parameters, self.EXTENT, context), context,
                                 os.path.join(QgsProcessingUtils.tempFolder(), "urbanscore-plan-extent.geojson"))
        zoom = self.parameterAsInt(parameters, self.ZOOM, context)
        result = self.run_cli(location, ["plan", "--area", area, "--zoom", str(zoom), "--json"], feedback,
                              progress_from_output=False, log_stdout=False)
        plan = self.read_json(result)
        tiles = first_number(plan, "tiles", "tileCount", "count")
        km2 = first_number(plan, "squareKilometres", "squareKilometers", "km2", "areaKm2")
        seconds = first_number(plan, "estimatedSeconds", "estimateSeconds", "etaSeconds", "seconds")
        feedback.pushInfo("{} tiles at zoom {}, {} km², about {} s.".format(
            tiles, zoom, "?" if km2 is None else round(km2, 1), "?" if seconds is None else round(seconds)))
        return {self.TILES: tiles, self.KM2: km2, self.ESTIMATE_SECONDS: seconds}
