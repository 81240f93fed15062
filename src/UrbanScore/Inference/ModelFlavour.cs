namespace UrbanScore.Inference;

/// <summary>How a Custom Vision classification export reports its scores (the flavours the test models in tests/UrbanScore.Tests/TestData/models reproduce).</summary>
public enum ModelFlavour
{
    /// <summary>
    /// "ONNX 1.2" (2018–19) and General (compact) 2019–22 exports (generations B and C): a <c>loss</c> output of type
    /// seq(map(string, float)), one map per image keyed by tag name, beside a <c>classLabel</c> string output.
    /// </summary>
    ZipMap,

    /// <summary>
    /// Newer exports incl. [S1] (generation D): a single float tensor <c>model_output</c> [N, C] scored by index into
    /// the export's <c>labels.txt</c>.
    /// </summary>
    TensorOutput,
}
