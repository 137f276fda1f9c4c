"""Audio features in torch (``features``), differentiable so evaluation and training losses share one definition."""
