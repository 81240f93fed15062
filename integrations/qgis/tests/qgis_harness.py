"""Runs the UrbanScore QGIS plugin inside a headless QGIS and prints what happened as one JSON line.

Used by tests/UrbanScore.Tests/Integrations/QgisPluginTests.cs (run with Debian's python3 and QT_QPA_PLATFORM=
offscreen). Usage: qgis_harness.py SCENARIO REQUEST_JSON, where SCENARIO is

  provider  load the plugin the way QGIS does; list the provider, its algorithms, parameters, outputs and setting
  run       run request["algorithm"] with request["parameters"]; report results, log, layers and their styles
  cancel    run urbanscore:score, cancel once request["cancelAfterTiles"] tiles are scored, report whether the
            urbanscore process is gone

URBANSCORE_QGIS_PLUGIN_ROOT names the folder holding the urbanscore plugin folder (default: this checkout's).
request["setting"] is the Processing setting "UrbanScore executable" for the run (default empty). The last stdout line is
"RESULT {json}"; anything else on stdout/stderr is QGIS' own chatter.
"""

import json
import os
import sys
import time
import traceback

# The folder holding the urbanscore plugin folder: this checkout's, or one a zip was extracted into.
PLUGIN_ROOT = os.environ.get("URBANSCORE_QGIS_PLUGIN_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def main():
    scenario, request = sys.argv[1], json.loads(sys.argv[2])
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = run_scenario(scenario, request)
    except Exception as error:  # the test reads the traceback from the result
        result = {"exception": "{}: {}".format(type(error).__name__, error), "traceback": traceback.format_exc()}
    print("RESULT " + json.dumps(result, default=str), flush=True)
    # exitQgis can crash on some builds when Python objects outlive it; the result is already printed.
    os._exit(0)


def run_scenario(scenario, request):
    for path in ("/usr/share/qgis/python/plugins", PLUGIN_ROOT):
        if path not in sys.path:
            sys.path.insert(0, path)
    from processing.core.Processing import Processing
    import qgis.utils

    Processing.initialize()
    qgis.utils.plugin_paths.insert(0, PLUGIN_ROOT)
    __import__("urbanscore")  # raises with its traceback if the plugin cannot be imported
    if not (qgis.utils.loadPlugin("urbanscore") and qgis.utils.startProcessingPlugin("urbanscore")):
        return {"exception": "QGIS could not start the urbanscore plugin"}
    from processing.core.ProcessingConfig import ProcessingConfig

    # Settings persist in the profile: set it on every run, empty unless asked.
    ProcessingConfig.setSettingValue("URBANSCORE_EXECUTABLE", request.get("setting", ""))
    if scenario == "provider":
        return describe_provider()
    if scenario == "run":
        return run_algorithm(request["algorithm"], request["parameters"])
    if scenario == "cancel":
        return run_and_cancel(request["parameters"], request.get("cancelAfterTiles", 20))
    raise ValueError("unknown scenario " + scenario)


def describe_provider():
    from qgis.core import QgsApplication
    from processing.core.ProcessingConfig import ProcessingConfig

    provider = QgsApplication.processingRegistry().providerById("urbanscore")
    if provider is None:
        return {"provider": None}
    algorithms = {}
    for algorithm in provider.algorithms():
        algorithms[algorithm.id()] = {
            "parameters": [p.name() for p in algorithm.parameterDefinitions()],
            "outputs": [o.name() for o in algorithm.outputDefinitions()],
            "canCancel": bool(int(algorithm.flags()) & int(algorithm.FlagCanCancel)),
        }
    setting = ProcessingConfig.settings.get("URBANSCORE_EXECUTABLE")
    return {"provider": provider.id(), "name": provider.name(), "algorithms": algorithms,
            "pluginFolder": os.path.dirname(sys.modules["urbanscore"].__file__),
            "setting": None if setting is None else setting.description}


class RecordingFeedback:
    """A QgsProcessingFeedback that keeps every message and progress value."""

    @staticmethod
    def create():
        from qgis.core import QgsProcessingFeedback

        class Recording(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.log = []
                self.progress_values = []
                self.cancelled_at = None
                self.progressChanged.connect(self.progress_values.append)

            def pushInfo(self, info):  # noqa: N802
                self.log.append(("info", info))
                super().pushInfo(info)

            def pushWarning(self, warning):  # noqa: N802
                self.log.append(("warning", warning))
                super().pushWarning(warning)

            def pushCommandInfo(self, info):  # noqa: N802
                self.log.append(("command", info))
                super().pushCommandInfo(info)

            def pushConsoleInfo(self, info):  # noqa: N802
                self.log.append(("console", info))
                super().pushConsoleInfo(info)

            def reportError(self, error, fatalError=False):  # noqa: N802
                self.log.append(("error", error))
                super().reportError(error, fatalError)

        return Recording()


def run_algorithm(algorithm_id, parameters, feedback=None):
    from qgis.core import (QgsApplication, QgsProcessingContext, QgsProcessingException, QgsProject,
                           QgsRasterLayer, QgsVectorLayer)

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    if algorithm is None:
        return {"exception": "no algorithm " + algorithm_id}
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = feedback or RecordingFeedback.create()
    started = time.monotonic()
    error = None
    results = {}
    try:
        # processing.run would wrap errors; run the algorithm as the desktop's dialog does.
        results, ok = algorithm.run(parameters, context, feedback)
        if not ok:
            # run() reports the algorithm's QgsProcessingException to the feedback, as the desktop's dialog shows it.
            errors = [text for kind, text in feedback.log if kind == "error"]
            error = errors[-1] if errors else "the algorithm failed without a message"
    except QgsProcessingException as exception:
        error = str(exception)
    report = {"results": results, "error": error, "log": feedback.log, "progress": feedback.progress_values,
              "seconds": round(time.monotonic() - started, 3), "rasters": {}, "tables": {}, "layersToLoad": {}}
    for key, value in (results or {}).items():
        if isinstance(value, str) and value.lower().endswith(".tif") and os.path.isfile(value):
            layer = QgsRasterLayer(value, key)
            report["rasters"][key] = {"valid": layer.isValid(), "width": layer.width(), "height": layer.height(),
                                      "bands": layer.bandCount(), "crs": layer.crs().authid()}
    table = (results or {}).get("OUTPUT")
    if isinstance(table, str):
        layer = context.getMapLayer(table) or QgsVectorLayer(table, "table")
        if layer is not None and layer.isValid():
            report["tables"]["OUTPUT"] = {
                "fields": layer.fields().names(),
                "rows": [dict(zip(layer.fields().names(), [None if v is None or str(v) == "NULL" else v
                                                            for v in f.attributes()])) for f in layer.getFeatures()],
            }
    # What the desktop would add to the map, styled by the post-processors the algorithm registered.
    for path, details in context.layersToLoadOnCompletion().items():
        layer = QgsRasterLayer(path, details.name)
        processor = details.postProcessor()
        if processor is not None:
            processor.postProcessLayer(layer, context, feedback)
        renderer = layer.renderer()
        entry = {"name": details.name, "output": details.outputName, "valid": layer.isValid(),
                 "renderer": renderer.type() if renderer else None}
        if renderer is not None and renderer.type() == "multibandcolor":
            entry["alphaBand"] = renderer.alphaBand()
        if renderer is not None and renderer.type() == "singlebandpseudocolor":
            entry["min"], entry["max"] = renderer.classificationMin(), renderer.classificationMax()
        report["layersToLoad"][os.path.basename(path)] = entry
    return report


def run_and_cancel(parameters, cancel_after_tiles):
    """Cancels as soon as cancel_after_tiles tiles are scored: the tool writes each scored tile's heatmap PNG at once
    (the store commits in batches), and on cancellation it flushes every scored tile to the store."""
    import glob
    import re
    import threading

    feedback = RecordingFeedback.create()
    tiles = os.path.join(parameters["OUTPUT_FOLDER"], "heatmap", str(parameters["ZOOM"]), "*", "*.png")
    stop = threading.Event()

    def watch():
        while not stop.wait(0.05):
            if len(glob.glob(tiles)) >= cancel_after_tiles:
                feedback.cancelled_at = time.monotonic()
                feedback.cancel()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    report = run_algorithm("urbanscore:score", parameters, feedback)
    stop.set()
    watcher.join()
    pids = [int(m.group(1)) for kind, text in feedback.log for m in [re.search(r"process (\d+)", text)] if m]
    report["pid"] = pids[0] if pids else None
    report["cancelled"] = feedback.isCanceled()
    report["secondsAfterCancel"] = (None if feedback.cancelled_at is None
                                    else round(time.monotonic() - feedback.cancelled_at, 3))
    alive = None
    if report["pid"] is not None:
        try:
            os.kill(report["pid"], 0)
            alive = True
        except ProcessLookupError:
            alive = False
    report["processAlive"] = alive
    return report


if __name__ == "__main__":
    main()
