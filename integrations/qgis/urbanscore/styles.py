"""How the products look when the desktop adds them: heatmap.tif as the red overlay, scores.tif on a 0–1 ramp."""

from qgis.core import (
    QgsColorRampShader,
    QgsGradientColorRamp,
    QgsMultiBandColorRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
)
from qgis.PyQt.QtGui import QColor


def style_heatmap(layer):
    """RGBA as written: the overlay's red with alpha = P (docs/outputs.md), band 4 as the alpha band."""
    renderer = QgsMultiBandColorRenderer(layer.dataProvider(), 1, 2, 3)
    renderer.setAlphaBand(4)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_scores(layer):
    """P(positive) from 0 to 1 on Viridis (perceptually even), nodata (-9999, empty or failed tiles) left clear."""
    ramp = QgsStyle.defaultStyle().colorRamp("Viridis") or QgsGradientColorRamp(QColor(68, 1, 84), QColor(253, 231, 37))
    shader_function = QgsColorRampShader(0.0, 1.0, ramp, QgsColorRampShader.Interpolated)
    shader_function.classifyColorRamp(5, -1)
    shader = QgsRasterShader(0.0, 1.0)
    shader.setRasterShaderFunction(shader_function)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(1.0)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


class LayerStyler(QgsProcessingLayerPostProcessorInterface):
    """Styles a layer the desktop loads when the algorithm ends."""

    # Processing does not own Python post-processors: they must outlive the algorithm, so the live ones are kept.
    _alive = []

    def __init__(self, style):
        super().__init__()
        self._style = style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        if layer is not None and layer.isValid():
            self._style(layer)

    @classmethod
    def create(cls, style):
        styler = cls(style)
        cls._alive.append(styler)
        del cls._alive[:-16]
        return styler
