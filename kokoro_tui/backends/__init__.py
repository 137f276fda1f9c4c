"""Alternative inference engines for the same Kokoro weights (the int8 ONNX via onnxruntime)."""
