"""UrbanScore for QGIS: a Processing provider that runs the urbanscore command-line tool."""


def classFactory(iface):  # noqa: N802 (QGIS' plugin entry point name)
    """Called by QGIS to create the plugin; ``iface`` is None under qgis_process."""
    from .plugin import UrbanScorePlugin

    return UrbanScorePlugin(iface)
