"""Measures of synthesised speech shared by the tests, the benchmarks and the trainers' evaluation.

Results are numpy. Spectra are computed by the same torch code as the training losses
(``kokoro_tui.audio.features``), imported on the first spectral call, so importing this package,
or recognising speech (pocketsphinx), never pulls in torch.
"""
