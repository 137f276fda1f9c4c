"""Weight conversion between the int8 ONNX export, our safetensors and the official .pth layout."""
