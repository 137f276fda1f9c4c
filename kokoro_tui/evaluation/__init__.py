"""Measures of synthesised speech shared by the tests, the benchmarks and the trainers' evaluation.

numpy only (plus pocketsphinx for recognition, imported when first used), so evaluating audio
never pulls in torch.
"""
