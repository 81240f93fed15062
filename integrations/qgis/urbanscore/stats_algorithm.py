"""urbanscore:stats — urban area per region of a scored run, as a table."""

import json
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingUtils,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from . import cli
from .base_algorithm import UrbanScoreAlgorithm

#: The table's columns: (the key in the tool's stats --json, field name, type). The total row is named TOTAL_NAME.
COLUMNS = (
    ("name", "name", QVariant.String),
    ("tiles", "tiles", QVariant.LongLong),
    ("scored", "scored", QVariant.LongLong),
    ("urbanTiles", "urban_tiles", QVariant.LongLong),
    ("urbanKm2", "urban_km2", QVariant.Double),
    ("expectedUrbanKm2", "expected_urban_km2", QVariant.Double),
    ("meanScore", "mean_score", QVariant.Double),
)
TOTAL_NAME = "(total)"


class StatsAlgorithm(UrbanScoreAlgorithm):
    RUN_FOLDER = "RUN_FOLDER"
    REGIONS = "REGIONS"
    NAME_FIELD = "NAME_FIELD"
    THRESHOLD = "THRESHOLD"
    OUTPUT = "OUTPUT"

    def name(self):
        return "stats"

    def displayName(self):  # noqa: N802 (QGIS API)
        return "Urban area per region"

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return ("Summarises a scored run (its output folder): per region of the Regions layer (or for the whole "
                "run), the tiles, those scored, those at or above the threshold (urban), their km², the expected "
                "urban km² (sum of P × tile area) and the mean score (urbanscore stats).")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFile(
            self.RUN_FOLDER, "Run folder (the output folder of a score run)", QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.REGIONS, "Regions", [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.NAME_FIELD, "Region name field", parentLayerParameterName=self.REGIONS, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, "Threshold (P at or above it counts as urban)", QgsProcessingParameterNumber.Double,
            defaultValue=0.5, minValue=0, maxValue=1))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, "Urban area", QgsProcessing.TypeVector))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        location = self.locate_cli(feedback)
        run_folder = self.parameterAsFile(parameters, self.RUN_FOLDER, context)
        arguments = ["stats", run_folder, "--json",
                     "--threshold", "{:g}".format(self.parameterAsDouble(parameters, self.THRESHOLD, context))]
        regions = self.parameterAsSource(parameters, self.REGIONS, context)
        if regions is not None:
            name_field = self.parameterAsString(parameters, self.NAME_FIELD, context)
            path = os.path.join(QgsProcessingUtils.tempFolder(), "urbanscore-regions.geojson")
            self._write_regions(regions, context, path)
            arguments += ["--by", path] + (["--name-field", name_field] if name_field else [])

        result = cli.run(location, arguments, feedback, progress_from_output=False, log_stdout=False)
        if result.exit_code != 0:
            sentence = cli.error_sentence(result)
            # How the CLI refuses a command it does not have (older and newer wordings).
            refusals = ("unknown command", "unrecognized command", "required command was not provided")
            if "stats" in sentence and any(refusal in sentence.lower() for refusal in refusals):
                raise QgsProcessingException(
                    "This urbanscore ({}) has no stats command; update it (dotnet tool update --global "
                    "UrbanScore.Tool).".format(location.path))
            raise QgsProcessingException(sentence)
        document = self.read_json(result)

        fields = QgsFields()
        for _, field_name, field_type in COLUMNS:
            fields.append(QgsField(field_name, field_type))
        sink, destination = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry,
                                                 QgsCoordinateReferenceSystem())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        rows = list(document.get("regions") or [])
        if isinstance(document.get("total"), dict):
            rows.append(dict(document["total"], name=TOTAL_NAME))
        for row in rows:
            feature = QgsFeature(fields)
            feature.setAttributes([row.get(key) for key, _, _ in COLUMNS])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        total = document.get("total") or {}
        feedback.pushInfo("{}in total {} tiles, {} of them urban (P ≥ {}): {} km².".format(
            "{} regions; ".format(len(rows) - 1) if regions is not None else "", total.get("tiles"),
            total.get("urbanTiles"), document.get("threshold"), total.get("urbanKm2")))
        return {self.OUTPUT: destination}

    @staticmethod
    def _write_regions(source, context, path):
        """The regions as GeoJSON in EPSG:4326 with their attributes, for the tool's --by."""
        transform = QgsCoordinateTransform(source.sourceCrs(), QgsCoordinateReferenceSystem("EPSG:4326"),
                                           context.transformContext())
        names = source.fields().names()
        features = []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry.isNull():
                continue
            geometry.transform(transform)
            properties = {}
            for name, value in zip(names, feature.attributes()):
                if value is None or (isinstance(value, QVariant) and value.isNull()):
                    properties[name] = None
                else:
                    properties[name] = value if isinstance(value, (str, int, float, bool)) else str(value)
            features.append({"type": "Feature", "properties": properties, "geometry": json.loads(geometry.asJson(7))})
        with open(path, "w", encoding="utf-8") as stream:
            json.dump({"type": "FeatureCollection", "features": features}, stream)
