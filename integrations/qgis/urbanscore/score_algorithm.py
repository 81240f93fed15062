"""urbanscore:score — score the tiles of an extent and add the heatmap and the scores to the map."""

import json
import os
import shlex
from urllib.parse import parse_qs

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base_algorithm import UrbanScoreAlgorithm, ensure_folder
from .styles import LayerStyler, style_heatmap, style_scores

#: The file, inside the output folder, holding the extent as the tool's area (kept: run.json's command names it).
AREA_FILE = "qgis-extent.geojson"


def source_arguments(source, layer):
    """The tool's source options for what the user typed or pasted: an XYZ template, a WMTS capabilities URL or
    file, or a QGIS layer source ("type=xyz&url=…", or a WMTS one with "layers=…&url=…")."""
    source = source.strip()
    if "url=" in source and ("type=xyz" in source or "layers=" in source or "tileMatrixSet=" in source):
        fields = parse_qs(source, keep_blank_values=True)
        url = fields.get("url", [""])[-1]
        if fields.get("type", [""])[-1] == "xyz":
            return ["--xyz", url]
        arguments = ["--wmts", url]
        wmts_layer = layer or fields.get("layers", [""])[-1]
        if wmts_layer:
            arguments += ["--layer", wmts_layer]
        if fields.get("tileMatrixSet", [""])[-1]:
            arguments += ["--tile-matrix-set", fields["tileMatrixSet"][-1]]
        return arguments
    if any(token in source for token in ("{z}", "{x}", "{y}", "{-y}", "{q}")):
        return ["--xyz", source]
    return ["--wmts", source] + (["--layer", layer] if layer else [])


class ScoreAlgorithm(UrbanScoreAlgorithm):
    SOURCE = "SOURCE"
    LAYER = "LAYER"
    EXTENT = "EXTENT"
    ZOOM = "ZOOM"
    MODEL = "MODEL"
    POSITIVE_LABEL = "POSITIVE_LABEL"
    MAX_RPS = "MAX_RPS"
    EXTRA_ARGUMENTS = "EXTRA_ARGUMENTS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    HEATMAP = "HEATMAP"
    SCORES = "SCORES"

    def name(self):
        return "score"

    def displayName(self):  # noqa: N802 (QGIS API)
        return "Score tiles (heatmap of P(city))"

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return (
            "Fetches every tile of the extent at the zoom level from an imagery service, scores it with the model "
            "and writes heatmap.tif (red, opacity = P), scores.tif (P per tile), scores.sqlite, scores.csv and "
            "run.json into the output folder; the desktop adds the heatmap and the scores to the map.\n\n"
            "Source: an XYZ URL template with {z}/{x}/{y}, a WMTS GetCapabilities URL or file (with Layer), or a "
            "layer source copied from QGIS' layer properties.\n"
            "Model: an Azure Custom Vision ONNX export (labels inside, or labels.txt beside it).\n"
            "Output folder: choose one to be able to resume — running again into the same folder skips the tiles "
            "already scored, also after Cancel.\n"
            "Extra arguments: further urbanscore score options, e.g. --header \"Authorization: Bearer {env:KEY}\" "
            "(see urbanscore score --help)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterString(
            self.SOURCE, "Imagery: XYZ URL template or WMTS capabilities URL/file"))
        self.addParameter(QgsProcessingParameterString(self.LAYER, "WMTS layer", optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, "Extent to score"))
        self.addParameter(QgsProcessingParameterNumber(
            self.ZOOM, "Zoom level", QgsProcessingParameterNumber.Integer, defaultValue=15, minValue=0, maxValue=24))
        self.addParameter(QgsProcessingParameterFile(
            self.MODEL, "Model (Custom Vision ONNX export)", extension="onnx"))
        self.addParameter(QgsProcessingParameterString(
            self.POSITIVE_LABEL, "Positive label (its probability is the score; a+b sums labels)", defaultValue="city"))
        advanced = [
            QgsProcessingParameterNumber(self.MAX_RPS, "Most requests per second to the server (0 = no limit)",
                                         QgsProcessingParameterNumber.Double, defaultValue=0, minValue=0,
                                         optional=True),
            QgsProcessingParameterString(self.EXTRA_ARGUMENTS, "Extra urbanscore score arguments", optional=True),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, "Output folder"))
        self.addOutput(QgsProcessingOutputRasterLayer(self.HEATMAP, "Heatmap (heatmap.tif)"))
        self.addOutput(QgsProcessingOutputRasterLayer(self.SCORES, "Scores (scores.tif)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        location = self.locate_cli(feedback)
        source = self.parameterAsString(parameters, self.SOURCE, context)
        if not source.strip():
            raise QgsProcessingException("Source is empty; give an XYZ URL template with {z}/{x}/{y} or a WMTS "
                                         "capabilities URL.")
        folder = ensure_folder(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        area = self.write_extent(self.parameterAsExtent(parameters, self.EXTENT, context),
                                 self.parameterAsExtentCrs(parameters, self.EXTENT, context), context,
                                 os.path.join(folder, AREA_FILE))
        arguments = ["score"] + source_arguments(source, self.parameterAsString(parameters, self.LAYER, context))
        arguments += [
            "--area", area,
            "--zoom", str(self.parameterAsInt(parameters, self.ZOOM, context)),
            "--model", self.parameterAsFile(parameters, self.MODEL, context),
            "--positive-label", self.parameterAsString(parameters, self.POSITIVE_LABEL, context) or "city",
            "--out", folder,
        ]
        max_rps = self.parameterAsDouble(parameters, self.MAX_RPS, context)
        if max_rps and max_rps > 0:
            arguments += ["--max-rps", "{:g}".format(max_rps)]
        extra = self.parameterAsString(parameters, self.EXTRA_ARGUMENTS, context)
        if extra and extra.strip():
            arguments += shlex.split(extra)

        result = self.run_cli(location, arguments, feedback)

        outputs = {self.OUTPUT_FOLDER: folder, self.HEATMAP: None, self.SCORES: None}
        if result.cancelled:
            feedback.pushWarning("Cancelled; what was scored is saved in {}. Run the algorithm again with the same "
                                 "parameters to resume.".format(folder))
            return outputs
        self._report(folder, result.exit_code, feedback)
        for key, file_name, label, style in (
                (self.HEATMAP, "heatmap.tif", "UrbanScore heatmap", style_heatmap),
                (self.SCORES, "scores.tif", "UrbanScore scores", style_scores)):
            path = os.path.join(folder, file_name)
            if not os.path.isfile(path):
                continue
            outputs[key] = path
            # Loaded (and styled) by the desktop when the algorithm ends; qgis_process and processing.run ignore it.
            details = QgsProcessingContext.LayerDetails(
                "{} ({})".format(label, os.path.basename(os.path.normpath(folder))), context.project(), key)
            details.setPostProcessor(LayerStyler.create(style))
            context.addLayerToLoadOnCompletion(path, details)
        return outputs

    @staticmethod
    def _report(folder, exit_code, feedback):
        try:
            with open(os.path.join(folder, "run.json"), encoding="utf-8") as stream:
                tiles = json.load(stream).get("tiles", {})
        except (OSError, ValueError):
            tiles = {}
        if tiles.get("skipped"):
            feedback.pushInfo("Resumed: {} tiles were already done in this folder.".format(tiles["skipped"]))
        if exit_code == 3:
            feedback.reportError("{} tiles failed (their reasons are in scores.csv); run the algorithm again to "
                                 "retry them.".format(tiles.get("failed", "Some")), False)
