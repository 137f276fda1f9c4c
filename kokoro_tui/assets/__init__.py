"""Model and voice downloads (Hugging Face hub, registry fallback), checksums, asset locations."""
