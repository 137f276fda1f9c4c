"""Voice-embedding and architecture analysis. Returns data objects; plotting is a separate layer.

- ``voices.analyze_voices(packs) -> VoiceAnalysis``: everything ``kokoro analyze voices`` reports
  (PCA per view, gender/language separation, length variation, centroids, decoder-vs-prosody
  correlation, per-dim variance, t-SNE), one module per concept alongside it.
- ``pca_edit.pca_edit(packs, name, view, component, amount)``: voice arithmetic along a PC.
- ``architecture.architecture_report(model, ids, style)``: parameter tree and traced tensor shapes.

Only numpy and scikit-learn are imported here (torch only through a model passed in); the
figures and text live in ``kokoro_tui.analysis.render``.
"""
