namespace UrbanScore.Inference;

/// <summary>One output of a model, as <c>inspect-model</c> reports it.</summary>
/// <param name="Name">Output name, e.g. <c>loss</c> or <c>model_output</c>.</param>
/// <param name="Type">ONNX type in ONNX notation, e.g. <c>tensor(float)[-1,3]</c> or <c>seq(map(string,float))</c>; -1 is a symbolic dimension.</param>
public readonly record struct ModelOutputInfo(string Name, string Type);
