"""What every UrbanScore algorithm shares: finding the tool, running it, and the area it is given."""

import json
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProcessingAlgorithm,
    QgsProcessingException,
)
from processing.core.ProcessingConfig import ProcessingConfig

from . import cli

_WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
#: Vertices per side of an extent before it is reprojected, so that a rectangle in a projected CRS stays the same
#: area in degrees (its sides are curves there).
_DENSIFY = 32


class UrbanScoreAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms: each is one run of the urbanscore tool."""

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def locate_cli(self, feedback):
        """The tool to run, said in the log with where it was found; a clear error when there is none."""
        try:
            location = cli.find_cli(ProcessingConfig.getSetting(cli.SETTING_EXECUTABLE))
        except cli.CliNotFoundError as error:
            raise QgsProcessingException(str(error)) from None
        feedback.pushInfo("Using urbanscore {} (from {}).".format(location.path, location.origin))
        return location

    def run_cli(self, location, arguments, feedback, progress_from_output=True, log_stdout=True):
        """Runs the tool; exit code 2 (bad input) or 1 becomes an error with the one sentence the tool printed."""
        result = cli.run(location, arguments, feedback, progress_from_output, log_stdout)
        if not result.cancelled and result.exit_code not in (0, 3):
            raise QgsProcessingException(cli.error_sentence(result))
        if not result.cancelled and progress_from_output:
            feedback.setProgress(100)  # a resumed run's last progress line counts only the tiles it did
        return result

    @staticmethod
    def write_extent(rectangle, crs, context, path):
        """Writes an extent in any CRS as a GeoJSON polygon in EPSG:4326 (RFC 7946), the area the tool scores."""
        if crs is None or not crs.isValid():
            crs = _WGS84
        geometry = QgsGeometry.fromRect(rectangle).densifyByCount(_DENSIFY)
        if crs != _WGS84:
            geometry.transform(QgsCoordinateTransform(crs, _WGS84, context.transformContext()))
        feature = {"type": "Feature", "properties": {}, "geometry": json.loads(geometry.asJson(7))}
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(feature, stream)
        return path

    @staticmethod
    def read_json(result):
        """The JSON object the tool printed on stdout (one line or indented), after any lines of text."""
        decoder = json.JSONDecoder()
        for start, line in enumerate(result.stdout):
            if line.startswith("{"):
                try:
                    return decoder.raw_decode("\n".join(result.stdout[start:]))[0]
                except ValueError:
                    continue
        raise QgsProcessingException("urbanscore printed no JSON; its output: " + " ".join(result.stdout)[-500:])


def first_number(document, *keys):
    """The first of ``keys`` holding a number, at the top level or one object down (key names differ by version)."""
    scopes = [document] + [v for v in document.values() if isinstance(v, dict)]
    for key in keys:
        for scope in scopes:
            value = scope.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
    return None


def ensure_folder(path):
    os.makedirs(path, exist_ok=True)
    return path
